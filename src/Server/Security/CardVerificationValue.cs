using System.Security.Cryptography;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Server.Security;

/// <summary>
/// Visa Card Verification Value, the check that the magnetic stripe (or the chip's track 2 image, iCVV: service code 999)
/// was written by the issuer: the PAN, the expiry YYMM and the service code, zero-filled to 32 digits, are enciphered
/// under the issuer's card verification key pair (CVK A, CVK B) — block 1 under A alone, XORed with block 2, then under
/// A B A — and the result decimalised like a PVV: its decimal nibbles first, then its hex nibbles less ten. A PAN and
/// expiry copied from a receipt give no CVV; a stripe copied whole still verifies, which is what PINs are for.
/// </summary>
internal static class CardVerificationValue
{
    public const int Length = 3;

    /// <summary>The service code whose CVV a chip card's track 2 image carries (iCVV).</summary>
    public static ReadOnlySpan<byte> ChipServiceCode => "999"u8;

    private const int DataDigits = 32;

    /// <summary>Computes the 3 CVV digits (ASCII) into <paramref name="destination"/>.</summary>
    /// <param name="cvk">CVK A then CVK B, 16 bytes.</param>
    public static void Compute(ReadOnlySpan<byte> cvk, ReadOnlySpan<byte> pan, ReadOnlySpan<byte> expiry, ReadOnlySpan<byte> serviceCode, Span<byte> destination)
    {
        if (cvk.Length != 16)
        {
            throw new ArgumentException("The CVK pair is a double-length (16-byte) key.", nameof(cvk));
        }

        if (pan.Length is < 12 or > 19 || expiry.Length != 4 || serviceCode.Length != 3 || destination.Length < Length)
        {
            throw new ArgumentException("A CVV needs a 12–19 digit PAN, a YYMM expiry and a 3-digit service code.", nameof(pan));
        }

        Span<byte> digits = stackalloc byte[DataDigits];
        digits.Fill((byte)'0');
        pan.CopyTo(digits);
        expiry.CopyTo(digits[pan.Length..]);
        serviceCode.CopyTo(digits[(pan.Length + expiry.Length)..]);
        Span<byte> blocks = stackalloc byte[16];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = (byte)(((digits[2 * i] - '0') << 4) | (digits[(2 * i) + 1] - '0'));
        }

        Span<byte> result = stackalloc byte[8];
        // Block 1 under CVK A alone: one block of single DES (ECB, which allocates nothing, unlike a CBC chain's reset).
        KeyedCiphers.DesEcb(cvk[..8], blocks[..8], result);
        for (var i = 0; i < 8; i++)
        {
            result[i] ^= blocks[8 + i];
        }

        KeyedCiphers.TripleDesEcb(cvk, encrypt: true, result, result);
        Decimalise(result, destination[..Length]);
        digits.Clear();
        blocks.Clear();
        result.Clear();
    }

    /// <summary>True when <paramref name="cvv"/> is the card's CVV for this PAN, expiry and service code; compared in constant time.</summary>
    public static bool Verify(ReadOnlySpan<byte> cvk, ReadOnlySpan<byte> pan, ReadOnlySpan<byte> expiry, ReadOnlySpan<byte> serviceCode, ReadOnlySpan<byte> cvv)
    {
        if (cvv.Length != Length)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[Length];
        Compute(cvk, pan, expiry, serviceCode, expected);
        return CryptographicOperations.FixedTimeEquals(expected, cvv);
    }

    private static void Decimalise(ReadOnlySpan<byte> block, Span<byte> destination)
    {
        var found = 0;
        for (var pass = 0; pass < 2 && found < destination.Length; pass++)
        {
            for (var i = 0; i < block.Length * 2 && found < destination.Length; i++)
            {
                var nibble = (i % 2 == 0) ? block[i / 2] >> 4 : block[i / 2] & 0x0F;
                if (pass == 0 ? nibble <= 9 : nibble > 9)
                {
                    destination[found++] = (byte)('0' + (pass == 0 ? nibble : nibble - 10));
                }
            }
        }
    }
}
