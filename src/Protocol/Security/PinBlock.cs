using System.Security.Cryptography;

namespace SocketAtm.Protocol.Security;

/// <summary>
/// ISO 9564-1 format 0 PIN blocks, as carried in DE 52. The PIN field (control nibble 0, PIN length, PIN digits,
/// F padding) is XORed with the PAN field (four zero nibbles and the 12 rightmost PAN digits excluding the check
/// digit), then encrypted under the terminal's double-length PIN key (Triple DES, ECB, no padding).
/// PINs and PANs are ASCII digits, as they travel in the message. Every intermediate block is wiped after use.
/// </summary>
public static class PinBlock
{
    /// <summary>Length of a PIN block in bytes.</summary>
    public const int Length = 8;

    /// <summary>Fewest PIN digits format 0 allows.</summary>
    public const int MinPinLength = 4;

    /// <summary>Most PIN digits format 0 allows.</summary>
    public const int MaxPinLength = 12;

    /// <summary>Shortest PAN accepted: format 0 takes 12 digits before the check digit.</summary>
    public const int MinPanLength = 13;

    /// <summary>Longest PAN (ISO/IEC 7812).</summary>
    public const int MaxPanLength = 19;

    /// <summary>Builds the clear (unencrypted) format 0 block of <paramref name="pin"/> for <paramref name="pan"/>.</summary>
    /// <exception cref="ArgumentException">The PIN is not 4–12 digits, the PAN not 13–19 digits, or the destination is short.</exception>
    internal static void FormatClear(ReadOnlySpan<byte> pin, ReadOnlySpan<byte> pan, Span<byte> destination)
    {
        if (!IsDigits(pin, MinPinLength, MaxPinLength))
        {
            throw new ArgumentException($"A PIN has {MinPinLength} to {MaxPinLength} digits.", nameof(pin));
        }

        if (!IsDigits(pan, MinPanLength, MaxPanLength))
        {
            throw new ArgumentException($"A PAN has {MinPanLength} to {MaxPanLength} digits.", nameof(pan));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length, nameof(destination));

        Span<byte> pinField = stackalloc byte[Length];
        Span<byte> panField = stackalloc byte[Length];
        try
        {
            pinField.Fill(0xFF);
            pinField[0] = (byte)pin.Length;
            for (var i = 0; i < pin.Length; i++)
            {
                SetNibble(pinField, 2 + i, pin[i] - '0');
            }

            WritePanField(pan, panField);
            for (var i = 0; i < Length; i++)
            {
                destination[i] = (byte)(pinField[i] ^ panField[i]);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pinField);
            CryptographicOperations.ZeroMemory(panField);
        }
    }

    /// <summary>Builds the format 0 block of <paramref name="pin"/> and encrypts it under <paramref name="pinKey"/> (the TPK): the 8 bytes of DE 52.</summary>
    /// <exception cref="ArgumentException">The key is not double-length, or the PIN, PAN or destination is invalid.</exception>
    public static void Encrypt(ReadOnlySpan<byte> pinKey, ReadOnlySpan<byte> pin, ReadOnlySpan<byte> pan, Span<byte> destination)
    {
        DoubleLengthKey.Validate(pinKey, nameof(pinKey));
        Span<byte> clear = stackalloc byte[Length];
        try
        {
            FormatClear(pin, pan, clear);
            KeyedCiphers.TripleDesEcb(pinKey, encrypt: true, clear, destination[..Length]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clear);
        }
    }

    /// <summary>
    /// Decrypts DE 52 under <paramref name="pinKey"/> (the TPK) and extracts the PIN. A block that is not 8 bytes,
    /// does not decode as a valid format 0 block for this PAN, or a PAN that is not 13–19 digits gives false:
    /// for the host that is a wrong PIN, never an exception.
    /// </summary>
    /// <param name="pin">Receives the PIN digits as ASCII; must hold <see cref="MaxPinLength"/> bytes. Cleared on failure.</param>
    /// <exception cref="ArgumentException">The key is not double-length or <paramref name="pin"/> is too short (programming errors).</exception>
    public static bool TryDecrypt(ReadOnlySpan<byte> pinKey, ReadOnlySpan<byte> encryptedBlock, ReadOnlySpan<byte> pan, Span<byte> pin, out int pinLength)
    {
        DoubleLengthKey.Validate(pinKey, nameof(pinKey));
        ArgumentOutOfRangeException.ThrowIfLessThan(pin.Length, MaxPinLength, nameof(pin));
        pinLength = 0;
        if (encryptedBlock.Length != Length)
        {
            pin[..MaxPinLength].Clear();
            return false;
        }

        Span<byte> clear = stackalloc byte[Length];
        try
        {
            KeyedCiphers.TripleDesEcb(pinKey, encrypt: false, encryptedBlock, clear);

            return TryExtractPin(clear, pan, pin, out pinLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clear);
        }
    }

    /// <summary>
    /// Re-encrypts DE 52 from <paramref name="sourceKey"/> (the terminal's TPK) to <paramref name="destinationKey"/> (a
    /// zone PIN key an issuer shares): what an acquirer does to a PIN it must not verify itself. The block must decode as a
    /// valid format 0 block for <paramref name="pan"/> under the source key, else false and nothing is written (a block that
    /// does not decode would reach the issuer as a wrong PIN anyway). The clear block exists only inside this call.
    /// </summary>
    /// <exception cref="ArgumentException">A key is not double-length or <paramref name="destination"/> is short (programming errors).</exception>
    public static bool TryTranslate(
        ReadOnlySpan<byte> sourceKey, ReadOnlySpan<byte> destinationKey, ReadOnlySpan<byte> encryptedBlock, ReadOnlySpan<byte> pan, Span<byte> destination)
    {
        DoubleLengthKey.Validate(sourceKey, nameof(sourceKey));
        DoubleLengthKey.Validate(destinationKey, nameof(destinationKey));
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length, nameof(destination));
        if (encryptedBlock.Length != Length)
        {
            return false;
        }

        Span<byte> clear = stackalloc byte[Length];
        Span<byte> pin = stackalloc byte[MaxPinLength];
        try
        {
            KeyedCiphers.TripleDesEcb(sourceKey, encrypt: false, encryptedBlock, clear);
            if (!TryExtractPin(clear, pan, pin, out _))
            {
                return false;
            }

            KeyedCiphers.TripleDesEcb(destinationKey, encrypt: true, clear, destination[..Length]);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clear);
            CryptographicOperations.ZeroMemory(pin);
        }
    }

    /// <summary>
    /// Extracts the PIN from a clear format 0 block: control nibble 0, PIN length 4–12, decimal PIN digits, and F in
    /// every nibble after the PIN. Anything else (or a PAN that is not 13–19 digits) gives false.
    /// </summary>
    /// <param name="pin">Receives the PIN digits as ASCII; must hold <see cref="MaxPinLength"/> bytes. Cleared on failure.</param>
    internal static bool TryExtractPin(ReadOnlySpan<byte> clearBlock, ReadOnlySpan<byte> pan, Span<byte> pin, out int pinLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pin.Length, MaxPinLength, nameof(pin));
        pinLength = 0;
        if (clearBlock.Length != Length || !IsDigits(pan, MinPanLength, MaxPanLength))
        {
            pin[..MaxPinLength].Clear();
            return false;
        }

        Span<byte> pinField = stackalloc byte[Length];
        try
        {
            WritePanField(pan, pinField);
            for (var i = 0; i < Length; i++)
            {
                pinField[i] ^= clearBlock[i];
            }

            var length = pinField[0] & 0x0F;
            var valid = pinField[0] >> 4 == 0 && length is >= MinPinLength and <= MaxPinLength;
            for (var i = 0; valid && i < 2 * Length - 2; i++)
            {
                var nibble = GetNibble(pinField, 2 + i);
                if (i < length)
                {
                    valid = nibble <= 9;
                    pin[i] = (byte)('0' + nibble);
                }
                else
                {
                    valid = nibble == 0x0F;
                }
            }

            if (!valid)
            {
                pin[..MaxPinLength].Clear();
                return false;
            }

            pinLength = length;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pinField);
        }
    }

    /// <summary>PAN field: nibbles 0000, then the 12 PAN digits that precede the check digit.</summary>
    private static void WritePanField(ReadOnlySpan<byte> pan, Span<byte> destination)
    {
        destination[..Length].Clear();
        var digits = pan.Slice(pan.Length - 13, 12);
        for (var i = 0; i < digits.Length; i++)
        {
            SetNibble(destination, 4 + i, digits[i] - '0');
        }
    }

    private static bool IsDigits(ReadOnlySpan<byte> value, int minLength, int maxLength) =>
        value.Length >= minLength && value.Length <= maxLength && !value.ContainsAnyExceptInRange((byte)'0', (byte)'9');

    private static int GetNibble(ReadOnlySpan<byte> block, int index) =>
        index % 2 == 0 ? block[index / 2] >> 4 : block[index / 2] & 0x0F;

    private static void SetNibble(Span<byte> block, int index, int value)
    {
        ref var b = ref block[index / 2];
        b = index % 2 == 0 ? (byte)((value << 4) | (b & 0x0F)) : (byte)((b & 0xF0) | value);
    }
}
