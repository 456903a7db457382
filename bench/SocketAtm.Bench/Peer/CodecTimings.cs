using System.Buffers;
using System.Diagnostics;
using SocketAtm.Fixtures;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Bench.Peer;

/// <summary>
/// Our codec doing what the npm peer does, timed the same way (median of timed loops after one untimed warm-up loop):
/// pack the reference 0200 from its field values into a frame, and unpack that frame.
/// </summary>
internal sealed class CodecTimings
{
    private readonly IsoMessage _message = new();
    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private readonly LengthPrefixedFrameReader _reader = new(LengthPrefixedFrameReader.DefaultMaxFrameLength);
    private readonly ReadOnlySequence<byte> _frame;
    private long _sink;

    public CodecTimings(byte[] frame) => _frame = new ReadOnlySequence<byte>(frame);

    /// <summary>Field values → frame, into a reused buffer (the npm package builds a new Buffer each time).</summary>
    public double PackNanoseconds(int iterations, int rounds) => Time(Pack, iterations, rounds);

    /// <summary>Frame → parsed message whose fields are slices of one buffer: what the host's hot path does.</summary>
    public double UnpackNanoseconds(int iterations, int rounds) => Time(Unpack, iterations, rounds);

    /// <summary>Frame → every field as a string: the npm package's result is an object of strings, so this is like for like.</summary>
    public double UnpackToStringsNanoseconds(int iterations, int rounds) => Time(UnpackToStrings, iterations, rounds);

    private long Pack()
    {
        ReferenceMessages.FillWithdrawalRequest(_message);
        _output.ResetWrittenCount();
        return FrameWriter.WriteFrame(_output, _message);
    }

    private long Unpack()
    {
        var buffer = _frame;
        return _reader.TryReadFrame(ref buffer, out var payload, out _) == FrameReadStatus.Frame
            && IsoMessageParser.TryParse(payload, _message, out _)
            ? _message.FieldCount
            : throw new InvalidOperationException("The peer's frame no longer parses.");
    }

    private long UnpackToStrings()
    {
        Unpack();
        long characters = _message.Mti;
        foreach (var field in _message.Fields)
        {
            characters += _message.GetString(field)!.Length;
        }

        return characters;
    }

    private double Time(Func<long> operation, int iterations, int rounds)
    {
        for (var i = 0; i < iterations; i++)
        {
            _sink += operation();
        }

        var perRound = new double[rounds];
        for (var round = 0; round < rounds; round++)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < iterations; i++)
            {
                _sink += operation();
            }

            perRound[round] = Stopwatch.GetElapsedTime(started).TotalNanoseconds / iterations;
        }

        Array.Sort(perRound);
        GC.KeepAlive(_sink);
        return perRound[rounds / 2];
    }
}
