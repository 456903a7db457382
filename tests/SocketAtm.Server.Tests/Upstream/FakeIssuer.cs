using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Server.Tests.Upstream;

/// <summary>
/// A small issuer for the link's tests, written from the codec alone: it accepts on loopback, reads length-prefixed
/// frames, and hands each parsed message to <see cref="Handler"/>, which by default answers as the contract says
/// (echoes, DE 39 00, DE 38 on approval). Tests replace the handler to hold, drop, reorder or corrupt answers.
/// </summary>
internal sealed class FakeIssuer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public FakeIssuer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Endpoint => "127.0.0.1:" + Port;

    /// <summary>Called for every message received; the default answers it.</summary>
    public Func<IsoMessage, FakeIssuerConnection, Task> Handler { get; set; } = static (request, connection) => connection.SendAsync(AnswerTo(request));

    public ConcurrentQueue<FakeIssuerConnection> Connections { get; } = new();

    /// <summary>Every message received, in order, with the connection it came on.</summary>
    public ConcurrentQueue<(IsoMessage Message, FakeIssuerConnection Connection)> Received { get; } = new();

    public IEnumerable<IsoMessage> ReceivedOf(int mti, int? networkCode = null) =>
        Received.Select(entry => entry.Message).Where(message => message.Mti == mti
            && (networkCode is null || (message.TryGetNumber(DataElements.NetworkManagementCode, out var code) && code == networkCode)));

    public int SignOns => ReceivedOf(MessageTypes.NetworkManagementRequest, NetworkManagementCodes.SignOn).Count();

    /// <summary>The contract's answer to <paramref name="request"/>: response MTI, DE 7/11/32/37/41 (and 2/3/4/70) echoed, DE 39, DE 38 on an approved 0100/0200.</summary>
    public static IsoMessage AnswerTo(IsoMessage request, string responseCode = ResponseCodes.Approved)
    {
        var answer = new IsoMessage { Mti = MessageTypes.ResponseOf(request.Mti) };
        foreach (var field in new[] { DataElements.PrimaryAccountNumber, DataElements.ProcessingCode, DataElements.Amount, DataElements.TransmissionDateTime, DataElements.Stan, DataElements.AcquirerId, DataElements.RetrievalReference, DataElements.TerminalId, DataElements.Currency, DataElements.NetworkManagementCode })
        {
            answer.CopyFrom(request, field);
        }

        answer.Set(DataElements.ResponseCode, responseCode);
        if (responseCode == ResponseCodes.Approved && MessageTypes.ClassOf(request.Mti) is MessageTypes.FinancialRequest or MessageTypes.AuthorizationRequest)
        {
            answer.Set(DataElements.AuthorizationId, "A1B2C3");
        }

        return answer;
    }

    /// <summary>Stops accepting; open connections stay until disposed.</summary>
    public void StopListening() => _listener.Stop();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        foreach (var connection in Connections)
        {
            connection.Close();
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                var connection = new FakeIssuerConnection(socket, this);
                Connections.Enqueue(connection);
                _ = Task.Run(() => ReadAsync(connection));
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task ReadAsync(FakeIssuerConnection connection)
    {
        var header = new byte[LengthPrefixedFrameReader.HeaderLength];
        try
        {
            while (true)
            {
                await connection.Stream.ReadExactlyAsync(header, _stop.Token);
                var payload = new byte[(header[0] << 8) | header[1]];
                await connection.Stream.ReadExactlyAsync(payload, _stop.Token);
                var message = new IsoMessage();
                if (!IsoMessageParser.TryParse(payload, message, out var error))
                {
                    throw new InvalidDataException("the fake issuer cannot parse what the host sent: " + error);
                }

                Received.Enqueue((message, connection));
                await Handler(message, connection);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException or EndOfStreamException or SocketException)
        {
            connection.Close();
        }
    }
}

/// <summary>One connection the fake issuer accepted.</summary>
internal sealed class FakeIssuerConnection(Socket socket, FakeIssuer issuer) : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public NetworkStream Stream { get; } = new(socket, ownsSocket: true);

    public FakeIssuer Issuer { get; } = issuer;

    public DateTimeOffset AcceptedAt { get; } = DateTimeOffset.UtcNow;

    public bool IsClosed { get; private set; }

    public Task SendAsync(IsoMessage message) => SendRawAsync(Frame(message));

    public async Task SendRawAsync(byte[] bytes)
    {
        await _writeLock.WaitAsync();
        try
        {
            await Stream.WriteAsync(bytes);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            // The host dropped this connection.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Closes with a TCP reset (linger 0), as a crashed issuer or a middlebox would.</summary>
    public void Reset()
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (ObjectDisposedException)
        {
        }

        Close();
    }

    public void Close()
    {
        IsClosed = true;
        Stream.Dispose();
    }

    public void Dispose()
    {
        Close();
        _writeLock.Dispose();
    }

    public static byte[] Frame(IsoMessage message)
    {
        var payload = IsoMessageWriter.ToArray(message);
        return [(byte)(payload.Length >> 8), (byte)payload.Length, .. payload];
    }
}
