using System.Buffers;

namespace SocketAtm.Protocol.Tests.Support;

/// <summary>Builds multi-segment sequences, the way bytes arrive from a socket in pieces.</summary>
internal static class SegmentedSequence
{
    /// <summary>One segment holding all of <paramref name="data"/>.</summary>
    public static ReadOnlySequence<byte> Whole(byte[] data) => new(data);

    /// <summary><paramref name="data"/> cut into linked segments of <paramref name="segmentSize"/> bytes (the last may be shorter).</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> data, int segmentSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentSize, 1);
        if (data.IsEmpty)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(data[..Math.Min(segmentSize, data.Length)].ToArray(), 0);
        var last = first;
        for (var start = segmentSize; start < data.Length; start += segmentSize)
        {
            last = last.Append(data.Slice(start, Math.Min(segmentSize, data.Length - start)).ToArray());
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Every byte in its own segment: the harshest fragmentation a reader can meet.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(ReadOnlySpan<byte> data) => Split(data, 1);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
