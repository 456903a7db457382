using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>A minimal terminal over a real TCP socket, built only from PROTOCOL.md's rules, the codec and the demo requests.</summary>
internal sealed class TestTerminal : IAsyncDisposable
{
    public const string DemoPan = DemoCards.Active;
    public static readonly byte[] DemoPinKey = DemoKeys.PinKey;

    private readonly IDisposable _connection;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private static int _clock;

    private TestTerminal(IDisposable connection, Stream stream, string terminalId)
    {
        _connection = connection;
        TerminalId = terminalId;
        _input = PipeReader.Create(stream);
        _output = PipeWriter.Create(stream);
    }

    public string TerminalId { get; }

    public static async Task<TestTerminal> ConnectAsync(IPEndPoint endPoint, string terminalId = "ATM00009", bool signOn = true)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(endPoint);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return await AttachAsync(client.GetStream(), client, terminalId, signOn);
    }

    /// <summary>A terminal over a stream that is already connected (TLS, for one); <paramref name="connection"/> is disposed with it.</summary>
    public static async Task<TestTerminal> AttachAsync(Stream stream, IDisposable connection, string terminalId = "ATM00009", bool signOn = true)
    {
        var terminal = new TestTerminal(connection, stream, terminalId);
        if (signOn)
        {
            try
            {
                var response = await terminal.ExchangeAsync(terminal.NetworkManagement(NextStan(), "001"));
                Assert.Equal("00", response.GetString(39));
            }
            catch
            {
                await terminal.DisposeAsync(); // the caller never gets it to dispose
                throw;
            }
        }

        return terminal;
    }

    /// <summary>A fresh STAN, unique within the test run.</summary>
    public static int NextStan() => Interlocked.Increment(ref _clock) % 1_000_000;

    /// <summary>A transmission date-time unique per test run, so keys never collide across runs on one data directory.</summary>
    public static string TransmissionDateTime { get; } = DateTime.UtcNow.ToString("MMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);

    // The requests are src/Fixtures' DemoRequests from this terminal, with this run's DE 7.
    public IsoMessage NetworkManagement(int stan, string code) => DemoRequests.NetworkManagement(TerminalId, stan, code, TransmissionDateTime);

    public IsoMessage Withdrawal(long amount, int stan, string pan = DemoPan, string pin = DemoCards.ActivePin, int mti = 200) =>
        DemoRequests.Withdrawal(amount, stan, pan, pin, TerminalId, mti, TransmissionDateTime);

    public IsoMessage Balance(int stan, string pan = DemoPan, string pin = DemoCards.ActivePin) =>
        DemoRequests.BalanceInquiry(stan, pan, pin, TerminalId, transmissionDateTime: TransmissionDateTime);

    public IsoMessage Reversal(long amount, int stan, int originalStan, long? dispensed = null, int mti = 400, string pan = DemoPan) =>
        DemoRequests.Reversal(amount, stan, originalStan, dispensed, TerminalId, mti, TransmissionDateTime, pan);

    public async Task SendAsync(IsoMessage message)
    {
        await _writeLock.WaitAsync();
        try
        {
            FrameWriter.WriteFrame(_output, message);
            await _output.FlushAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<IsoMessage> ReceiveAsync()
    {
        var frames = new LengthPrefixedFrameReader(LengthPrefixedFrameReader.DefaultMaxFrameLength);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var result = await _input.ReadAsync(timeout.Token);
            var buffer = result.Buffer;
            if (frames.TryReadFrame(ref buffer, out var payload, out _) == FrameReadStatus.Frame)
            {
                var message = new IsoMessage();
                Assert.True(IsoMessageParser.TryParse(payload, message, out var error), error.ToString());
                _input.AdvanceTo(buffer.Start);
                return message;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new IOException("The host closed the connection.");
            }
        }
    }

    public async Task<IsoMessage> ExchangeAsync(IsoMessage request)
    {
        await SendAsync(request);
        return await ReceiveAsync();
    }

    /// <summary>
    /// Closes the connection whatever became of it. Every send flushes, so the writer is completed without writing: after
    /// a send that failed (the host reset the connection) it still holds those bytes, and flushing them again would throw
    /// into whoever disposes, hiding the test's own failure.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await CompleteQuietlyAsync(_output.CompleteAsync(new ObjectDisposedException(nameof(TestTerminal))));
            await CompleteQuietlyAsync(_input.CompleteAsync());
        }
        finally
        {
            _connection.Dispose();
            _writeLock.Dispose();
        }
    }

    private static async Task CompleteQuietlyAsync(ValueTask completing)
    {
        try
        {
            await completing;
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or SocketException)
        {
            // The connection is gone already: there is nothing left to close gracefully.
        }
    }
}
