using System.Security.Cryptography;
using System.Text;

namespace SocketAtm.IssuerSim.Book;

/// <summary>The digests the book keeps instead of a PIN, and beside a PAN.</summary>
internal static class PinDigest
{
    /// <summary>SHA-256 over "PAN:PIN" as hex: the book can verify a PIN without holding it.</summary>
    public static string Of(ReadOnlySpan<byte> pan, ReadOnlySpan<byte> pin)
    {
        Span<byte> input = stackalloc byte[pan.Length + 1 + pin.Length];
        try
        {
            pan.CopyTo(input);
            input[pan.Length] = (byte)':';
            pin.CopyTo(input[(pan.Length + 1)..]);
            return Convert.ToHexString(SHA256.HashData(input));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    /// <summary>Whether <paramref name="candidate"/> matches the stored digest, in constant time.</summary>
    public static bool Matches(string stored, string candidate) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(candidate));

    /// <summary>The digest of a card's PIN given as text (seeding).</summary>
    public static string Of(string pan, string pin) => Of(Encoding.ASCII.GetBytes(pan), Encoding.ASCII.GetBytes(pin));
}
