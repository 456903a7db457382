using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SocketAtm.Protocol.Security;

/// <summary>
/// Keyed cipher transforms, kept and reused per key. Creating and keying a cipher costs several microseconds and a
/// few hundred bytes on every call; a keyed ECB/CBC transform reused costs well under one and allocates nothing.
/// Every financial message needs two to four cipher operations (PIN block, PVV, MAC in and out), under a handful of
/// keys per terminal, so the host keeps the transforms. Transforms are not thread-safe: each use rents one from the
/// key's pool and returns it. The cache is bounded; past its size it starts again.
/// </summary>
internal static class KeyedCiphers
{
    private const int MaxKeys = 8192;
    private const int ScratchLength = 256;

    private static readonly ConcurrentDictionary<(UInt128 Key, CipherUse Use), ConcurrentBag<ICryptoTransform>> Pools = new();

    [ThreadStatic]
    private static byte[]? t_input;

    [ThreadStatic]
    private static byte[]? t_output;

    /// <summary>Triple DES (K1 K2 K1) ECB over whole blocks, under a double-length key; input and output may overlap.</summary>
    /// <exception cref="ArgumentException">The key is not 16 bytes.</exception>
    public static void TripleDesEcb(ReadOnlySpan<byte> key, bool encrypt, ReadOnlySpan<byte> input, Span<byte> output)
    {
        DoubleLengthKey.Validate(key, nameof(key));
        Run(key, encrypt ? CipherUse.TripleDesEncrypt : CipherUse.TripleDesDecrypt, input, output);
    }

    /// <summary>
    /// Single DES CBC encryption from a zero IV over whole blocks under an 8-byte key (the first stage of the X9.19 MAC);
    /// <paramref name="lastBlock"/> receives the last cipher block.
    /// </summary>
    internal static void DesCbcChain(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> lastBlock)
    {
        if (key.Length != DoubleLengthKey.BlockLength)
        {
            throw new ArgumentException($"A DES key has {DoubleLengthKey.BlockLength} bytes.", nameof(key));
        }

        Run(key, CipherUse.DesCbcEncrypt, input, lastBlock);
    }

    /// <summary>
    /// Single DES ECB encryption of whole blocks under an 8-byte key (the first step of a Visa CVV). Unlike
    /// <see cref="DesCbcChain"/> it needs no chain reset afterwards, so it allocates nothing.
    /// </summary>
    internal static void DesEcb(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (key.Length != DoubleLengthKey.BlockLength)
        {
            throw new ArgumentException($"A DES key has {DoubleLengthKey.BlockLength} bytes.", nameof(key));
        }

        Run(key, CipherUse.DesEcbEncrypt, input, output);
    }

    /// <summary>
    /// Runs <paramref name="input"/> through the key's transform. ECB writes every output block; CBC keeps only the last
    /// one and then resets the transform's chain to the zero IV for its next user.
    /// </summary>
    private static void Run(ReadOnlySpan<byte> key, CipherUse use, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var pool = PoolFor(key, use);
        var transform = pool.TryTake(out var pooled) ? pooled : Create(key, use);
        var inputBuffer = t_input ??= new byte[ScratchLength];
        var outputBuffer = t_output ??= new byte[ScratchLength];
        try
        {
            for (var offset = 0; offset < input.Length; offset += ScratchLength)
            {
                var chunk = input[offset..Math.Min(offset + ScratchLength, input.Length)];
                chunk.CopyTo(inputBuffer);
                transform.TransformBlock(inputBuffer, 0, chunk.Length, outputBuffer, 0);
                if (use != CipherUse.DesCbcEncrypt)
                {
                    outputBuffer.AsSpan(0, chunk.Length).CopyTo(output[offset..]);
                }
                else if (offset + chunk.Length == input.Length)
                {
                    outputBuffer.AsSpan(chunk.Length - DoubleLengthKey.BlockLength, DoubleLengthKey.BlockLength).CopyTo(output);
                }
            }

            if (use == CipherUse.DesCbcEncrypt)
            {
                transform.TransformFinalBlock([], 0, 0);
            }

            pool.Add(transform);
        }
        catch
        {
            transform.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(inputBuffer);
            CryptographicOperations.ZeroMemory(outputBuffer);
        }
    }

    private static ConcurrentBag<ICryptoTransform> PoolFor(ReadOnlySpan<byte> key, CipherUse use)
    {
        var id = key.Length == DoubleLengthKey.Length ? BinaryPrimitives.ReadUInt128BigEndian(key) : BinaryPrimitives.ReadUInt64BigEndian(key);
        if (Pools.TryGetValue((id, use), out var pool))
        {
            return pool;
        }

        if (Pools.Count >= MaxKeys)
        {
            Pools.Clear();
        }

        return Pools.GetOrAdd((id, use), static _ => []);
    }

    private static ICryptoTransform Create(ReadOnlySpan<byte> key, CipherUse use)
    {
        if (use == CipherUse.DesCbcEncrypt)
        {
            using var des = DoubleLengthKey.CreateDes(key);
            des.Mode = CipherMode.CBC;
            des.Padding = PaddingMode.None;
            des.IV = new byte[DoubleLengthKey.BlockLength];
            return des.CreateEncryptor();
        }

        if (use == CipherUse.DesEcbEncrypt)
        {
            using var des = DoubleLengthKey.CreateDes(key);
            des.Mode = CipherMode.ECB;
            des.Padding = PaddingMode.None;
            return des.CreateEncryptor();
        }

        using var cipher = DoubleLengthKey.CreateTripleDes(key);
        cipher.Mode = CipherMode.ECB;
        cipher.Padding = PaddingMode.None;
        return use == CipherUse.TripleDesEncrypt ? cipher.CreateEncryptor() : cipher.CreateDecryptor();
    }

    private enum CipherUse : byte
    {
        TripleDesEncrypt,
        TripleDesDecrypt,
        DesCbcEncrypt,
        DesEcbEncrypt,
    }
}
