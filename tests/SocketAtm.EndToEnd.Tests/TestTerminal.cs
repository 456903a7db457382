using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>A minimal terminal over a real TCP socket, built only from PROTOCOL.md's rules and the codec.</summary>
internal sealed class TestTerminal : IAsyncDisposable
{
    public const string DemoPan = "4761739001010119";
    public static readonly byte[] DemoPinKey = Convert.FromHexString("A13F766224F292F868D54D2CFAB1683A");

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
        await client.ConnectAsync(endPoint);
        return await AttachAsync(client.GetStream(), client, terminalId, signOn);
    }

    /// <summary>A terminal over a stream that is already connected (TLS, for one); <paramref name="connection"/> is disposed with it.</summary>
    public static async Task<TestTerminal> AttachAsync(Stream stream, IDisposable connection, string terminalId = "ATM00009", bool signOn = true)
    {
        var terminal = new TestTerminal(connection, stream, terminalId);
        if (signOn)
        {
            var response = await terminal.ExchangeAsync(terminal.NetworkManagement(NextStan(), "001"));
            Assert.Equal("00", response.GetString(39));
        }

        return terminal;
    }

    /// <summary>A fresh STAN, unique within the test run.</summary>
    public static int NextStan() => Interlocked.Increment(ref _clock) % 1_000_000;

    /// <summary>A transmission date-time unique per test run, so keys never collide across runs on one data directory.</summary>
    public static string TransmissionDateTime { get; } = DateTime.UtcNow.ToString("MMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);

    public IsoMessage NetworkManagement(int stan, string code)
    {
        var message = new IsoMessage { Mti = 800 };
        message.Set(7, TransmissionDateTime);
        message.SetNumber(11, stan);
        message.Set(41, TerminalId);
        message.Set(70, code);
        return message;
    }

    public IsoMessage Withdrawal(long amount, int stan, string pan = DemoPan, string pin = "1234", int mti = 200)
    {
        var message = CardRequest(mti, "012000", pan, pin, stan);
        message.SetNumber(4, amount);
        message.Set(49, "840");
        return message;
    }

    public IsoMessage Balance(int stan, string pan = DemoPan, string pin = "1234") => CardRequest(200, "302000", pan, pin, stan);

    public IsoMessage Reversal(long amount, int stan, int originalStan, long? dispensed = null, int mti = 400)
    {
        var message = new IsoMessage { Mti = mti };
        message.Set(2, DemoPan);
        message.Set(3, "012000");
        message.SetNumber(4, amount);
        message.Set(7, TransmissionDateTime);
        message.SetNumber(11, stan);
        message.Set(32, "12345");
        message.Set(41, TerminalId);
        message.Set(49, "840");
        message.Set(90, "0200" + originalStan.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + TransmissionDateTime + "00000012345" + "00000000000");
        if (dispensed is { } actual)
        {
            message.Set(95, actual.ToString("D12", System.Globalization.CultureInfo.InvariantCulture) + new string('0', 12) + new string(' ', 18));
        }

        return message;
    }

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

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync();
        await _output.CompleteAsync();
        _connection.Dispose();
        _writeLock.Dispose();
    }

    private IsoMessage CardRequest(int mti, string processingCode, string pan, string pin, int stan)
    {
        var message = new IsoMessage { Mti = mti };
        message.Set(2, pan);
        message.Set(3, processingCode);
        message.Set(7, TransmissionDateTime);
        message.SetNumber(11, stan);
        message.Set(14, "2812");
        message.Set(22, "051");
        message.Set(32, "12345");
        message.Set(41, TerminalId);
        var block = new byte[8];
        PinBlock.Encrypt(DemoPinKey, Encoding.ASCII.GetBytes(pin), Encoding.ASCII.GetBytes(pan), block);
        message.Set(52, block);
        return message;
    }
}
