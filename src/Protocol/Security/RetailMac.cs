using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Protocol.Security;

/// <summary>
/// The message authentication code of DE 64 / DE 128: ISO/IEC 9797-1 MAC algorithm 3 (ANSI X9.19 retail MAC) with
/// padding method 1 under the double-length TAK. Single DES CBC under the left key half over every block, then the
/// last result is decrypted under the right half and encrypted under the left half; all 8 bytes are sent.
/// The MAC of a message covers its encoding from the first MTI byte up to, not including, the 8 MAC bytes.
/// </summary>
public static class RetailMac
{
    /// <summary>Length of the MAC in bytes.</summary>
    public const int Length = 8;

    /// <summary>The MAC field of a message without a secondary bitmap.</summary>
    public const int PrimaryMacField = 64;

    /// <summary>The MAC field of a message with a secondary bitmap.</summary>
    public const int SecondaryMacField = 128;

    private const int BlockLength = DoubleLengthKey.BlockLength;
    private const int StackEncodingLimit = 1024;
    private const int MinimumMessageLength = 4 + 8 + Length;
    private const ulong SecondaryMacBit = 1UL << (SecondaryMacField - 65);

    /// <summary>Computes the MAC of <paramref name="data"/> (zero-padded to whole blocks) under <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The key is not double-length, the data is empty or the destination is short.</exception>
    internal static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        DoubleLengthKey.Validate(key, nameof(key));
        if (data.IsEmpty)
        {
            throw new ArgumentException("There is nothing to authenticate.", nameof(data));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length, nameof(destination));

        // CBC under K1 over all but the last block, then E(K1) D(K2) E(K1) of the last chained block: the same as
        // CBC over every block followed by D(K2) and E(K1), with one cipher call fewer.
        var lastBlockStart = (data.Length - 1) / BlockLength * BlockLength;
        Span<byte> chain = stackalloc byte[BlockLength];
        try
        {
            chain.Clear();
            if (lastBlockStart > 0)
            {
                KeyedCiphers.DesCbcChain(key[..BlockLength], data[..lastBlockStart], chain);
            }

            var last = data[lastBlockStart..];
            for (var i = 0; i < last.Length; i++)
            {
                chain[i] ^= last[i];
            }

            KeyedCiphers.TripleDesEcb(key, encrypt: true, chain, destination[..Length]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(chain);
        }
    }

    /// <summary>
    /// Checks the MAC of an encoded message whose last 8 bytes are its MAC, in constant time.
    /// The caller has established that the message carries a MAC field (see <see cref="Verify(ReadOnlySpan{byte}, IsoMessage)"/>).
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> encodedMessage)
    {
        DoubleLengthKey.Validate(key, nameof(key));
        if (encodedMessage.Length < MinimumMessageLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[Length];
        try
        {
            Compute(key, encodedMessage[..^Length], expected);
            return CryptographicOperations.FixedTimeEquals(expected, encodedMessage[^Length..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expected);
        }
    }

    /// <summary>
    /// Checks a message: its MAC must be in the field <see cref="FieldFor"/> names, the other MAC field must be absent,
    /// and the value must match the MAC of the bytes that travelled — for a message as received, the received bytes
    /// themselves (another stack may send what SocketAtm would not, e.g. a secondary bitmap with no bit set); for one
    /// built here, its encoding.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> key, IsoMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        DoubleLengthKey.Validate(key, nameof(key));
        var field = FieldFor(message);
        if (!message.Has(field) || message.Has(OtherMacField(field)) || message.Mti is < 0 or > 9999)
        {
            return false;
        }

        if (message.TryGetReceivedBytes(out var received))
        {
            // The MAC field is the last present element, so the MAC is the received bytes' last 8.
            return Verify(key, received);
        }

        var length = IsoMessageWriter.GetEncodedLength(message);
        byte[]? rented = null;
        var encoded = length <= StackEncodingLimit
            ? stackalloc byte[StackEncodingLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        encoded = encoded[..length];
        try
        {
            IsoMessageWriter.Write(message, encoded);
            return Verify(key, encoded);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(encoded);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Sets the MAC of <paramref name="message"/>: removes any MAC field, puts 8 zero bytes in the field
    /// <see cref="FieldFor"/> names (so the bitmap announces it), encodes, computes the MAC over the encoding without
    /// its last 8 bytes and stores it in the field.
    /// </summary>
    public static void Sign(IsoMessage message, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(message);
        DoubleLengthKey.Validate(key, nameof(key));
        var field = PrepareMacField(message);
        var length = IsoMessageWriter.GetEncodedLength(message);
        byte[]? rented = null;
        var encoded = length <= StackEncodingLimit
            ? stackalloc byte[StackEncodingLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        encoded = encoded[..length];
        try
        {
            IsoMessageWriter.Write(message, encoded);
            var mac = encoded[^Length..];
            Compute(key, encoded[..^Length], mac);
            message.Set(field, mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(encoded);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Signs and frames <paramref name="message"/> in one pass: the message is encoded once, straight into
    /// <paramref name="output"/>, and the MAC is written over the placeholder before the bytes are committed.
    /// <paramref name="message"/> holds the same MAC afterwards.
    /// </summary>
    /// <returns>The number of bytes written, the 2-byte length header included.</returns>
    public static int WriteSignedFrame(IBufferWriter<byte> output, IsoMessage message, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        DoubleLengthKey.Validate(key, nameof(key));
        var field = PrepareMacField(message);
        var length = IsoMessageWriter.GetEncodedLength(message);
        if (length > ushort.MaxValue)
        {
            throw new InvalidOperationException($"Message of {length} bytes cannot be framed with a 2-byte header.");
        }

        const int header = LengthPrefixedFrameReader.HeaderLength;
        var frame = output.GetSpan(header + length)[..(header + length)];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)length);
        var encoded = frame[header..];
        IsoMessageWriter.Write(message, encoded);
        var mac = encoded[^Length..];
        Compute(key, encoded[..^Length], mac);
        message.Set(field, mac);
        output.Advance(header + length);
        return header + length;
    }

    /// <summary>
    /// The field that carries the MAC of <paramref name="message"/>: DE 128 when any of DE 65–127 is present (the
    /// message has a secondary bitmap anyway), DE 64 otherwise. The MAC fields themselves do not count.
    /// </summary>
    public static int FieldFor(IsoMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return (message.PresentHigh & ~SecondaryMacBit) != 0 ? SecondaryMacField : PrimaryMacField;
    }

    private static int OtherMacField(int field) => field == PrimaryMacField ? SecondaryMacField : PrimaryMacField;

    private static int PrepareMacField(IsoMessage message)
    {
        message.Remove(PrimaryMacField);
        message.Remove(SecondaryMacField);
        var field = FieldFor(message);
        Span<byte> placeholder = stackalloc byte[Length];
        placeholder.Clear();
        message.Set(field, placeholder);
        return field;
    }
}
