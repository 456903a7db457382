using System.Security.Cryptography;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Server.Security;

/// <summary>
/// Visa PIN Verification Value: the host stores a 4-digit PVV per card instead of the PIN and verifies a PIN by
/// recomputing the PVV from it. TSP = 11 rightmost PAN digits excluding the check digit, the PVKI and the 4 PIN digits;
/// it is encrypted with the double-length PIN verification key (3DES, ECB) and decimalised in two passes.
/// </summary>
internal static class PinVerificationValue
{
    /// <summary>Computes the PVV of <paramref name="pin"/> (ASCII digits, first 4 used) for <paramref name="pan"/>.</summary>
    /// <param name="destination">Receives the 4 PVV digits as ASCII.</param>
    public static void Compute(ReadOnlySpan<byte> pvk, ReadOnlySpan<byte> pan, int pvki, ReadOnlySpan<byte> pin, Span<byte> destination)
    {
        if (pvk.Length != 16)
        {
            throw new ArgumentException("The PVK is a double-length (16-byte) key.", nameof(pvk));
        }

        if (pan.Length < 12)
        {
            throw new ArgumentException("A PAN has at least 12 digits.", nameof(pan));
        }

        if (pin.Length < 4 || (uint)pvki > 9)
        {
            throw new ArgumentException("The PIN needs 4 digits and the PVKI one.", nameof(pin));
        }

        Span<byte> tsp = stackalloc byte[8];
        Span<byte> digits = stackalloc byte[16];
        pan.Slice(pan.Length - 12, 11).CopyTo(digits);
        digits[11] = (byte)('0' + pvki);
        pin[..4].CopyTo(digits[12..]);
        for (var i = 0; i < 8; i++)
        {
            tsp[i] = (byte)(((digits[2 * i] - '0') << 4) | (digits[(2 * i) + 1] - '0'));
        }

        Span<byte> encrypted = stackalloc byte[8];
        KeyedCiphers.TripleDesEcb(pvk, encrypt: true, tsp, encrypted);

        var found = 0;
        for (var pass = 0; pass < 2 && found < 4; pass++)
        {
            for (var i = 0; i < 16 && found < 4; i++)
            {
                var nibble = (i % 2 == 0) ? encrypted[i / 2] >> 4 : encrypted[i / 2] & 0x0F;
                if (pass == 0 && nibble <= 9)
                {
                    destination[found++] = (byte)('0' + nibble);
                }
                else if (pass == 1 && nibble > 9)
                {
                    destination[found++] = (byte)('0' + nibble - 10);
                }
            }
        }

        digits.Clear();
        tsp.Clear();
    }

    /// <summary>Compares two PVVs in constant time.</summary>
    public static bool Matches(ReadOnlySpan<byte> candidate, ReadOnlySpan<byte> stored) =>
        CryptographicOperations.FixedTimeEquals(candidate, stored);
}
