using System.Buffers;
using System.Threading.Channels;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Tests.Transport;

/// <summary>
/// One real session over in-memory pipes, with everything the host writes read back at once: every response must be a
/// frame that parses, and echo answers are matched to their STAN.
/// </summary>
internal sealed class LiveSession : IAsyncDisposable
{
    private readonly DuplexPipePair _pipes = new();
    private readonly TerminalSession _session;
    private readonly Task _draining;
    private readonly Channel<(int Mti, string? ResponseCode)> _answers = Channel.CreateUnbounded<(int, string?)>();
    private TaskCompletionSource<string>? _echoAnswer;
    private int _echoStan = -1;

    public LiveSession(long id, SessionServices services)
    {
        _session = services.Open(id, _pipes.Host);
        Running = Task.Run(_session.RunAsync);
        _draining = Task.Run(DrainResponsesAsync);
    }

    /// <summary>Completes when the session has ended.</summary>
    public Task Running { get; }

    /// <summary>Responses the host wrote.</summary>
    public int Responses { get; private set; }

    /// <summary>Frames from the host that did not parse as a message (there must be none).</summary>
    public int UnparsableResponses { get; private set; }

    /// <summary>Writes <paramref name="bytes"/> in one to three pieces, as TCP might deliver them.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, Random? pieces = null)
    {
        var cuts = pieces is null || bytes.Length < 2 ? 0 : pieces.Next(3);
        var start = 0;
        for (var i = 0; i < cuts; i++)
        {
            var end = start + pieces!.Next(bytes.Length - start + 1);
            await _pipes.Terminal.Output.WriteAsync(bytes[start..end]);
            start = end;
        }

        await _pipes.Terminal.Output.WriteAsync(bytes[start..]);
    }

    /// <summary>Sends an echo (0800/301) with <paramref name="stan"/> and waits for its 0810; the response code, or null if none came in time.</summary>
    public async Task<string?> EchoAsync(string terminalId, int stan, TimeSpan bound)
    {
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _echoAnswer, answer);
        Volatile.Write(ref _echoStan, stan);
        await _pipes.Terminal.Output.WriteAsync(Fuzz.SeedFrames.Echo(terminalId, stan));
        try
        {
            return await answer.Task.WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>The MTI and DE 39 of the next response, or null when none comes within <paramref name="bound"/>.</summary>
    public async Task<(int Mti, string? ResponseCode)?> NextResponseAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            return await _answers.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The terminal closes its sending side (TCP FIN).</summary>
    public Task CloseTerminalSideAsync() => _pipes.Terminal.Output.CompleteAsync().AsTask();

    /// <summary>True when the session has ended within <paramref name="bound"/>.</summary>
    public async Task<bool> EndsWithinAsync(TimeSpan bound)
    {
        try
        {
            await Running.WaitAsync(bound);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _session.Abort();
        await _pipes.Terminal.Output.CompleteAsync();
        await Running.WaitAsync(TimeSpan.FromSeconds(10));
        await _draining.WaitAsync(TimeSpan.FromSeconds(10));
        _session.Dispose();
    }

    private async Task DrainResponsesAsync()
    {
        var input = _pipes.Terminal.Input;
        var frames = new LengthPrefixedFrameReader(LengthPrefixedFrameReader.DefaultMaxFrameLength);
        var response = new IsoMessage();
        while (true)
        {
            var result = await input.ReadAsync();
            var buffer = result.Buffer;
            while (frames.TryReadFrame(ref buffer, out var payload, out _) == FrameReadStatus.Frame)
            {
                Responses++;
                response.Clear();
                if (!IsoMessageParser.TryParse(payload, response, out _))
                {
                    UnparsableResponses++;
                    continue;
                }

                _answers.Writer.TryWrite((response.Mti, response.GetString(DataElements.ResponseCode)));

                if (response.Mti == MessageTypes.NetworkManagementResponse
                    && response.TryGetNumber(DataElements.Stan, out var stan) && stan == Volatile.Read(ref _echoStan)
                    && response.TryGetNumber(DataElements.NetworkManagementCode, out var code) && code == NetworkManagementCodes.Echo)
                {
                    Volatile.Read(ref _echoAnswer)?.TrySetResult(response.GetString(DataElements.ResponseCode) ?? "--");
                }
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                await input.CompleteAsync();
                return;
            }
        }
    }
}
