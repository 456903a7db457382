using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using SocketAtm.Client;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;

namespace SocketAtm.TerminalClient.Tests.Support;

/// <summary>
/// A TCP relay between the client and the real host that sees every frame and can misbehave on cue: drop a response,
/// corrupt a MAC or a key check value, cut every connection. It changes nothing else: the host itself checks MACs,
/// answers key exchanges and verifies PINs. Knowing the demo TMK, it reads the working keys out of each key exchange
/// answer, as a wiretap holding the master key could, to tell whether the client MACed and encrypted its PIN under the
/// keys the host holds now (the host's overlap for the previous keys aside), and which PIN it sent.
/// </summary>
internal sealed class ProtocolRelay : IAsyncDisposable
{
    private static readonly byte[] DemoTmk = DemoKeys.MasterKey;
    private static readonly byte[] DemoTpk = DemoKeys.PinKey;
    private static readonly byte[] DemoTak = DemoKeys.MacKey;

    /// <summary>Where DE 48 of a key exchange answer holds the first digit of the TPK's check value ("TPK" + 32 hex digits).</summary>
    private const int TpkCheckValueOffset = 35;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _host;
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly ConcurrentDictionary<string, (byte[] Tpk, byte[] Tak)> _keys = new();

    /// <summary>Keys a key exchange issued, which the host keeps pending until the terminal's first request under them.</summary>
    private readonly ConcurrentDictionary<string, (byte[] Tpk, byte[] Tak)> _pendingKeys = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _badKeyChecksLeft;

    public ProtocolRelay(IPEndPoint host)
    {
        _host = host;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<SeenMessage> Requests { get; } = new();

    public ConcurrentQueue<SeenMessage> Responses { get; } = new();

    /// <summary>Responses for which this returns true are swallowed.</summary>
    public Func<SeenMessage, bool>? DropResponse { get; set; }

    /// <summary>Responses for which this returns true get a wrong MAC.</summary>
    public Func<SeenMessage, bool>? CorruptResponseMac { get; set; }

    /// <summary>The next this many key exchange answers reach the client with a wrong TPK check value.</summary>
    public int BadKeyChecks
    {
        get => Volatile.Read(ref _badKeyChecksLeft);
        set => Volatile.Write(ref _badKeyChecksLeft, value);
    }

    /// <summary>The PINs recovered from DE 52 under the terminal's current TPK (proof the client used the right key).</summary>
    public ConcurrentQueue<string> PinsSeen { get; } = new();

    public TerminalConnectionOptions ClientOptions(TimeSpan? echoInterval = null) => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        EchoInterval = echoInterval ?? Timeout.InfiniteTimeSpan,
        ReconnectDelay = TimeSpan.FromMilliseconds(50),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>Cuts every open connection, as a network failure would.</summary>
    public void Sever()
    {
        foreach (var socket in _open.Keys)
        {
            socket.Close(0);
        }
    }

    public async Task<SeenMessage> WaitForRequestAsync(Func<SeenMessage, bool> match, TimeSpan? timeout = null) =>
        await WaitForAsync(Requests, match, timeout);

    public async Task<SeenMessage> WaitForResponseAsync(Func<SeenMessage, bool> match, TimeSpan? timeout = null) =>
        await WaitForAsync(Responses, match, timeout);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Sever();
        await _accepting.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private static async Task<SeenMessage> WaitForAsync(ConcurrentQueue<SeenMessage> seen, Func<SeenMessage, bool> match, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            var found = seen.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"The relay saw no such message. Seen: {string.Join(" | ", seen)}");
    }

    private static SeenMessage Describe(IsoMessage message, int? macField, bool macValid) => new(
        message.Mti,
        message.GetString(41)?.TrimEnd(),
        message.GetString(11),
        message.GetString(7),
        message.GetString(70),
        message.GetString(39),
        message.GetString(90),
        message.GetString(95),
        macField,
        macValid);

    /// <summary>As the host does: a request MACed under the pending TAK, or PIN-encrypted under the pending TPK, makes the pending keys current.</summary>
    private void PromoteIfUsed(string? terminalId, IsoMessage request)
    {
        if (terminalId is null || !_pendingKeys.TryGetValue(terminalId, out var pending))
        {
            return;
        }

        var pin = new byte[PinBlock.MaxPinLength];
        var used = (request.Has(64) || request.Has(128))
            ? RetailMac.Verify(pending.Tak, request)
            : request.Has(52) && PinBlock.TryDecrypt(pending.Tpk, request.Get(52), CardFields.Pan(request), pin, out _);
        if (used && _pendingKeys.TryRemove(terminalId, out _))
        {
            _keys[terminalId] = pending;
        }
    }

    private (byte[] Tpk, byte[] Tak) KeysOf(string? terminalId) =>
        terminalId is null ? (DemoTpk, DemoTak) : _keys.GetOrAdd(terminalId, _ => (DemoTpk, DemoTak));

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var host = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await host.ConnectAsync(_host);
            _open[client] = 0;
            _open[host] = 0;
            var toHost = PipeWriter.Create(new NetworkStream(host, ownsSocket: false));
            var toClient = PipeWriter.Create(new NetworkStream(client, ownsSocket: false));
            _ = PumpAsync(client, host, request => OnRequestAsync(request, toHost));
            _ = PumpAsync(host, client, response => OnResponseAsync(response, toClient));
        }
    }

    private async Task PumpAsync(Socket from, Socket to, Func<IsoMessage, Task> onMessage)
    {
        var reader = PipeReader.Create(new NetworkStream(from, ownsSocket: false));
        var frames = new LengthPrefixedFrameReader(LengthPrefixedFrameReader.DefaultMaxFrameLength);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                while (frames.TryReadFrame(ref buffer, out var payload, out _) == FrameReadStatus.Frame)
                {
                    if (payload.IsEmpty)
                    {
                        continue;
                    }

                    var message = new IsoMessage();
                    Assert.True(IsoMessageParser.TryParse(payload, message, out var error), error.ToString());
                    await onMessage(message);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Cut by Sever() or by either end.
        }
        finally
        {
            _open.TryRemove(from, out _);
            _open.TryRemove(to, out _);
            from.Close(0);
            to.Close(0);
        }
    }

    private async Task OnRequestAsync(IsoMessage request, PipeWriter toHost)
    {
        var terminalId = request.GetString(41)?.TrimEnd();
        PromoteIfUsed(terminalId, request);
        var (tpk, tak) = KeysOf(terminalId);
        int? macField = request.Has(64) ? 64 : request.Has(128) ? 128 : null;
        var macValid = macField is not null && RetailMac.Verify(tak, request);
        Requests.Enqueue(Describe(request, macField, macValid));
        if (request.Has(52))
        {
            var pin = new byte[PinBlock.MaxPinLength];
            if (PinBlock.TryDecrypt(tpk, request.Get(52), CardFields.Pan(request), pin, out var pinLength))
            {
                PinsSeen.Enqueue(System.Text.Encoding.ASCII.GetString(pin, 0, pinLength));
            }
        }

        await WriteAsync(toHost, request);
    }

    private async Task OnResponseAsync(IsoMessage response, PipeWriter toClient)
    {
        var terminalId = response.GetString(41)?.TrimEnd();
        var seen = Describe(response, null, true);
        Responses.Enqueue(seen);
        var isKeyExchangeAnswer = response.Mti == 810 && response.GetString(70) == "161" && response.GetString(39) == "00";
        if (isKeyExchangeAnswer && terminalId is not null)
        {
            // The host keeps these keys pending until the terminal first uses them (PROTOCOL.md §11.3), whether or not
            // the answer reaches the client; so does the relay.
            var tpk = new byte[16];
            var tak = new byte[16];
            Assert.True(KeyExchangeData.TryRead(DemoTmk, response.Get(48), tpk, tak), "the host's key exchange answer does not check out");
            _pendingKeys[terminalId] = (tpk, tak);
        }

        if (DropResponse?.Invoke(seen) == true)
        {
            return;
        }

        if (isKeyExchangeAnswer && Interlocked.Decrement(ref _badKeyChecksLeft) >= 0)
        {
            var data = response.Get(48).ToArray();
            data[TpkCheckValueOffset] = data[TpkCheckValueOffset] == (byte)'0' ? (byte)'1' : (byte)'0';
            response.Set(48, data);
        }

        if (CorruptResponseMac?.Invoke(seen) == true)
        {
            var field = response.Has(128) ? 128 : 64;
            var mac = response.Get(field).ToArray();
            mac[0] ^= 0xFF;
            response.Set(field, mac);
        }

        await WriteAsync(toClient, response);
    }

    /// <summary>Each direction has one pump, so one writer per pipe: no lock needed.</summary>
    private static async Task WriteAsync(PipeWriter output, IsoMessage message)
    {
        FrameWriter.WriteFrame(output, message);
        await output.FlushAsync();
    }
}
