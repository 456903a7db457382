using System.Buffers;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Fuzz;

/// <summary>
/// The fuzz target: arbitrary bytes through <see cref="LengthPrefixedFrameReader"/> and <see cref="IsoMessageParser"/>,
/// exactly as a session meets them. Besides "never throws", it checks properties a fuzzer cannot see by itself:
/// the reader never hands out more than the cap, the sequence and span parsers agree, and a message that parses
/// re-encodes to one that parses to the same fields. A broken property throws <see cref="FuzzPropertyException"/>.
/// </summary>
public static class FrameTarget
{
    public const int MaxFrameLength = LengthPrefixedFrameReader.DefaultMaxFrameLength;

    /// <summary>Runs one input. The first byte chooses where the rest is cut into two buffer segments.</summary>
    /// <returns>How many non-empty frames were read and how many of them parsed.</returns>
    public static (int Frames, int Parsed) Run(ReadOnlySpan<byte> input)
    {
        var frames = 0;
        var parsedFrames = 0;
        if (input.IsEmpty)
        {
            return (frames, parsedFrames);
        }

        var data = input[1..].ToArray();
        var buffer = TwoSegments.Create(data, data.Length == 0 ? 0 : input[0] % (data.Length + 1));
        var reader = new LengthPrefixedFrameReader(MaxFrameLength);
        var message = new IsoMessage();
        var fromSpan = new IsoMessage();
        var reparsed = new IsoMessage();
        while (true)
        {
            var before = buffer.Length;
            var status = reader.TryReadFrame(ref buffer, out var payload, out var declared);
            switch (status)
            {
                case FrameReadStatus.NeedMoreData:
                    Check(buffer.Length == before, "NeedMoreData consumed input");
                    Check(before < LengthPrefixedFrameReader.HeaderLength || before < LengthPrefixedFrameReader.HeaderLength + declared, "NeedMoreData with a whole frame buffered");
                    return (frames, parsedFrames);
                case FrameReadStatus.FrameTooLarge:
                    Check(declared > MaxFrameLength, "FrameTooLarge for an allowed length");
                    return (frames, parsedFrames);
            }

            Check(payload.Length <= MaxFrameLength, "a frame above the cap was handed out");
            Check(before - buffer.Length == LengthPrefixedFrameReader.HeaderLength + payload.Length, "consumed bytes differ from header + payload");
            if (payload.IsEmpty)
            {
                continue; // keep-alive
            }

            frames++;
            message.Clear();
            var parsed = IsoMessageParser.TryParse(payload, message, out var error);
            Check(parsed == error.IsNone, "result and error disagree");
            Check(error.ToString().Length > 0, "an error without words");

            fromSpan.Clear();
            var parsedFromSpan = IsoMessageParser.TryParse(payload.ToArray(), fromSpan, out var spanError);
            Check(parsed == parsedFromSpan && error == spanError, "sequence and span parsing disagree");

            if (parsed)
            {
                parsedFrames++;
                var encoded = IsoMessageWriter.ToArray(message);
                reparsed.Clear();
                Check(IsoMessageParser.TryParse(encoded, reparsed, out _), "a parsed message does not re-parse once encoded");
                Check(SameFields(message, reparsed), "re-encoding changed a field");
            }
        }
    }

    private static bool SameFields(IsoMessage a, IsoMessage b)
    {
        if (a.Mti != b.Mti || a.FieldCount != b.FieldCount)
        {
            return false;
        }

        foreach (var field in a.Fields)
        {
            if (!a.Get(field).SequenceEqual(b.Get(field)))
            {
                return false;
            }
        }

        return true;
    }

    private static void Check(bool property, string what)
    {
        if (!property)
        {
            throw new FuzzPropertyException(what);
        }
    }

    /// <summary>A sequence of two segments, so the reader's and parser's multi-segment paths are fuzzed too.</summary>
    private sealed class TwoSegments : ReadOnlySequenceSegment<byte>
    {
        private TwoSegments(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Create(byte[] data, int cut)
        {
            var first = new TwoSegments(data.AsMemory(0, cut), 0);
            var second = new TwoSegments(data.AsMemory(cut), cut);
            first.Next = second;
            return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
        }
    }
}
