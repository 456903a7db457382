namespace SocketAtm.Fuzz;

/// <summary>
/// Bends valid frames into hostile ones, reproducibly from a seed: bit flips, inserted, deleted and overwritten bytes,
/// truncations, splices of two frames, repeated slices, lying length headers and plain random bytes. Most payload
/// mutations fix the length header up so the parser sees them; the rest leave it lying so framing desynchronises.
/// </summary>
public sealed class FrameMutator
{
    /// <summary>Bytes that often sit on a boundary of the format: digits, separators, padding, bitmap extremes, controls.</summary>
    private static readonly byte[] Interesting = [(byte)'0', (byte)'9', (byte)'=', (byte)'D', (byte)' ', 0x00, 0x01, 0x7F, 0x80, 0xFF, (byte)'/', (byte)':', 0x1F, 0x20, 0x7E];

    private readonly Random _random;
    private readonly IReadOnlyList<byte[]> _seeds;
    private readonly int _maxFrameLength;

    public FrameMutator(int seed, IReadOnlyList<byte[]> seeds, int maxFrameLength = 8192)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentOutOfRangeException.ThrowIfZero(seeds.Count);
        _random = new Random(seed);
        _seeds = seeds;
        _maxFrameLength = maxFrameLength;
    }

    private enum Mutation
    {
        BitFlip,
        Insert,
        Delete,
        Overwrite,
        Truncate,
        Splice,
        Repeat,
        LengthHeader,
        RandomBytes,
    }

    /// <summary>One mutated frame (one mutation of a seed, sometimes two or three stacked); it may well not be a frame any more.</summary>
    public byte[] Next()
    {
        var frame = (byte[])_seeds[_random.Next(_seeds.Count)].Clone();
        frame = Apply(frame, (Mutation)_random.Next(Enum.GetValues<Mutation>().Length));
        for (var stacked = _random.Next(4) == 0 ? 1 + _random.Next(2) : 0; stacked > 0; stacked--)
        {
            frame = Apply(frame, (Mutation)_random.Next(Enum.GetValues<Mutation>().Length));
        }

        return frame;
    }

    private byte[] Apply(byte[] frame, Mutation mutation)
    {
        var payload = frame.Length > 2 ? frame.AsSpan(2).ToArray() : [];
        var header = frame.Length >= 2 ? (frame[0] << 8) | frame[1] : payload.Length;
        switch (mutation)
        {
            case Mutation.BitFlip:
                if (frame.Length == 0)
                {
                    return frame;
                }

                for (var flips = 1 + _random.Next(4); flips > 0; flips--)
                {
                    frame[_random.Next(frame.Length)] ^= (byte)(1 << _random.Next(8));
                }

                return frame;
            case Mutation.Insert:
                {
                    var at = _random.Next(payload.Length + 1);
                    var inserted = RandomBytes(1 + _random.Next(8));
                    payload = [.. payload.AsSpan(0, at), .. inserted, .. payload.AsSpan(at)];
                    break;
                }

            case Mutation.Delete:
                {
                    if (payload.Length == 0)
                    {
                        break;
                    }

                    var at = _random.Next(payload.Length);
                    var count = Math.Min(1 + _random.Next(8), payload.Length - at);
                    payload = [.. payload.AsSpan(0, at), .. payload.AsSpan(at + count)];
                    break;
                }

            case Mutation.Overwrite:
                for (var count = 1 + _random.Next(4); count > 0 && payload.Length > 0; count--)
                {
                    payload[_random.Next(payload.Length)] = Interesting[_random.Next(Interesting.Length)];
                }

                break;
            case Mutation.Truncate:
                payload = payload.AsSpan(0, _random.Next(payload.Length + 1)).ToArray();
                break;
            case Mutation.Splice:
                {
                    var other = _seeds[_random.Next(_seeds.Count)];
                    var cut = _random.Next(payload.Length + 1);
                    var from = 2 + _random.Next(Math.Max(other.Length - 2, 1));
                    payload = [.. payload.AsSpan(0, cut), .. other.AsSpan(Math.Min(from, other.Length))];
                    break;
                }

            case Mutation.Repeat:
                {
                    if (payload.Length == 0)
                    {
                        break;
                    }

                    var at = _random.Next(payload.Length);
                    var count = Math.Min(1 + _random.Next(32), payload.Length - at);
                    payload = [.. payload.AsSpan(0, at + count), .. payload.AsSpan(at)];
                    break;
                }

            case Mutation.LengthHeader:
                {
                    var lie = _random.Next(8) switch
                    {
                        0 => 0,
                        1 => _random.Next(1, 4),
                        2 => Math.Max(payload.Length - 1, 0),
                        3 => payload.Length + 1,
                        4 => _maxFrameLength,
                        5 => _maxFrameLength + 1,
                        6 => ushort.MaxValue,
                        _ => _random.Next(ushort.MaxValue + 1),
                    };
                    return [(byte)(lie >> 8), (byte)lie, .. payload];
                }

            case Mutation.RandomBytes:
                payload = RandomBytes(_random.Next(257));
                if (_random.Next(4) == 0)
                {
                    return [.. RandomBytes(2), .. payload]; // a random header as well
                }

                break;
        }

        // Mostly keep the framing honest so the parser, not the framer, meets the damage.
        var length = _random.Next(5) == 0 ? header : payload.Length;
        return [(byte)(length >> 8), (byte)length, .. payload];
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }
}
