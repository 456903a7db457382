using System.Security.Cryptography;

namespace SocketAtm.Protocol.Security;

/// <summary>
/// The double-length (16-byte, K1 K2) Triple DES keys every SocketAtm key is: TMK, TPK, TAK and PVK.
/// Creating the cipher objects here keeps key validation in one place.
/// </summary>
internal static class DoubleLengthKey
{
    /// <summary>Length of a double-length key in bytes.</summary>
    public const int Length = 16;

    /// <summary>Length of one DES block, and of each key half.</summary>
    public const int BlockLength = 8;

    /// <exception cref="ArgumentException">The key is not 16 bytes.</exception>
    public static void Validate(ReadOnlySpan<byte> key, string parameterName)
    {
        if (key.Length != Length)
        {
            throw new ArgumentException($"A double-length key has {Length} bytes, got {key.Length}.", parameterName);
        }
    }

    /// <summary>A Triple DES (EDE, K1 K2 K1) cipher under <paramref name="key"/>; the caller disposes it, which wipes the key copy.</summary>
    public static TripleDES CreateTripleDes(ReadOnlySpan<byte> key)
    {
        Validate(key, nameof(key));

        // SetKey hands a 16-byte key to OpenSSL unexpanded, which refuses it; spell out K1 K2 K1.
        Span<byte> tripleLength = stackalloc byte[Length + BlockLength];
        key.CopyTo(tripleLength);
        key[..BlockLength].CopyTo(tripleLength[Length..]);
        var cipher = TripleDES.Create();
        try
        {
            cipher.SetKey(tripleLength);
            return cipher;
        }
        catch
        {
            cipher.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(tripleLength);
        }
    }

    /// <summary>A single DES cipher under one 8-byte key half; the caller disposes it.</summary>
    /// <remarks>
    /// Only the ANSI X9.19 MAC uses this: its chained blocks are single DES by definition, and the final
    /// Triple DES step under both halves is what makes the MAC double-length strong.
    /// </remarks>
    public static DES CreateDes(ReadOnlySpan<byte> half)
    {
#pragma warning disable CA5351 // X9.19 is specified over single DES; see remarks.
        var cipher = DES.Create();
#pragma warning restore CA5351
        try
        {
            cipher.SetKey(half);
            return cipher;
        }
        catch
        {
            cipher.Dispose();
            throw;
        }
    }
}
