using System.Buffers;
using BenchmarkDotNet.Attributes;
using SocketAtm.Fixtures;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Bench.Micro;

/// <summary>Length-prefixed framing alone, without parsing: what the read loop and the writer cost per frame.</summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private readonly LengthPrefixedFrameReader _reader = new(LengthPrefixedFrameReader.DefaultMaxFrameLength);
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private IsoMessage _response = null!;
    private ReadOnlySequence<byte> _input;

    /// <summary>How many withdrawal frames arrive in one read (1 = one per read, 16 = pipelined).</summary>
    [Params(1, 16)]
    public int FramesPerBuffer { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var frame = ReferenceMessages.ToFrame(ReferenceMessages.CreateWithdrawalRequest());
        var buffer = new byte[frame.Length * FramesPerBuffer];
        for (var i = 0; i < FramesPerBuffer; i++)
        {
            frame.CopyTo(buffer, i * frame.Length);
        }

        _input = new ReadOnlySequence<byte>(buffer);
        _response = ReferenceMessages.CreateWithdrawalResponse();
    }

    /// <summary>Takes every frame out of one buffer, as the session's read loop does.</summary>
    [Benchmark]
    public long FrameRead()
    {
        var buffer = _input;
        long payloadBytes = 0;
        while (_reader.TryReadFrame(ref buffer, out var payload, out _) == FrameReadStatus.Frame)
        {
            payloadBytes += payload.Length;
        }

        return payloadBytes;
    }

    /// <summary>Frames <see cref="FramesPerBuffer"/> already-built 0210 messages into one reused buffer.</summary>
    [Benchmark]
    public int FrameWrite()
    {
        _output.ResetWrittenCount();
        for (var i = 0; i < FramesPerBuffer; i++)
        {
            FrameWriter.WriteFrame(_output, _response);
        }

        return _output.WrittenCount;
    }
}
