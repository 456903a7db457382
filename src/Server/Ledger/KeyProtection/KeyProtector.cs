using System.Security.Cryptography;
using System.Text;

namespace SocketAtm.Server.Ledger.KeyProtection;

/// <summary>
/// The one place where secrets meet storage. Keys (terminal keys, the PVK) are stored encrypted with AES-256-GCM
/// under a key derived from the host's key-encryption key (KEK), bound to what they are ("terminal/ATM00001/TPK") so a
/// stored key cannot be swapped into another record. PANs are not stored at all: cards are found by an HMAC of the
/// PAN under a second derived key, and shown by their masked form.
/// </summary>
internal sealed class KeyProtector : IDisposable
{
    public const int KeyEncryptionKeyLength = 32;
    private const string Version = "v1:";
    private const int NonceLength = 12;
    private const int TagLength = 16;

    private readonly AesGcm _cipher;

    // AesGcm keeps one native cipher context per instance and is not thread-safe; the PostgreSQL ledger decrypts terminal
    // keys on many session threads at once. A call takes microseconds, so one lock costs less than a cipher per call.
    private readonly Lock _cipherLock = new();
    private readonly byte[] _panIndexKey;

    public KeyProtector(ReadOnlySpan<byte> keyEncryptionKey)
    {
        if (keyEncryptionKey.Length != KeyEncryptionKeyLength)
        {
            throw new ArgumentException($"The key-encryption key has {KeyEncryptionKeyLength} bytes.", nameof(keyEncryptionKey));
        }

        Span<byte> encryptionKey = stackalloc byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, keyEncryptionKey, encryptionKey, salt: [], info: "SocketAtm key storage v1"u8);
        _cipher = new AesGcm(encryptionKey, TagLength);
        CryptographicOperations.ZeroMemory(encryptionKey);
        _panIndexKey = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, keyEncryptionKey, _panIndexKey, salt: [], info: "SocketAtm PAN index v1"u8);
    }

    /// <summary>Encrypts <paramref name="key"/> for storage; <paramref name="purpose"/> must be given again to read it.</summary>
    public string Protect(ReadOnlySpan<byte> key, string purpose)
    {
        var sealedKey = new byte[NonceLength + key.Length + TagLength];
        var nonce = sealedKey.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        var associatedData = Encoding.UTF8.GetBytes(purpose);
        lock (_cipherLock)
        {
            _cipher.Encrypt(nonce, key, sealedKey.AsSpan(NonceLength, key.Length), sealedKey.AsSpan(NonceLength + key.Length), associatedData);
        }

        return Version + Convert.ToBase64String(sealedKey);
    }

    /// <summary>Decrypts a stored key.</summary>
    /// <exception cref="CryptographicException">The KEK is not the one the key was stored under, or the record was altered.</exception>
    public byte[] Unprotect(string stored, string purpose)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!stored.StartsWith(Version, StringComparison.Ordinal))
        {
            throw new CryptographicException($"The stored {purpose} is not in a format this host knows.");
        }

        var sealedKey = Convert.FromBase64String(stored[Version.Length..]);
        if (sealedKey.Length <= NonceLength + TagLength)
        {
            throw new CryptographicException($"The stored {purpose} is truncated.");
        }

        var key = new byte[sealedKey.Length - NonceLength - TagLength];
        var associatedData = Encoding.UTF8.GetBytes(purpose);
        lock (_cipherLock)
        {
            _cipher.Decrypt(sealedKey.AsSpan(0, NonceLength), sealedKey.AsSpan(NonceLength, key.Length), sealedKey.AsSpan(NonceLength + key.Length), key, associatedData);
        }

        return key;
    }

    /// <summary>
    /// Encrypts the PAN of a forwarded request for its record (the 0420 of a reversal owed upstream needs DE 2), bound to the
    /// record's key so that it cannot be moved to another record. Only forwarded records hold one, and only while it may be
    /// needed (<see cref="Model.ForwardingRecord.SealedPan"/>); cards are still found by <see cref="PanDigest"/>.
    /// </summary>
    public string ProtectPan(string pan, string recordKey) => Protect(Encoding.ASCII.GetBytes(pan), ForwardedPanPurpose(recordKey));

    /// <summary>The PAN <see cref="ProtectPan"/> sealed for the record of <paramref name="recordKey"/>.</summary>
    /// <exception cref="CryptographicException">Another KEK, another record's PAN, or an altered one.</exception>
    public string UnprotectPan(string sealedPan, string recordKey) => Encoding.ASCII.GetString(Unprotect(sealedPan, ForwardedPanPurpose(recordKey)));

    private static string ForwardedPanPurpose(string recordKey) => "forwarded/" + recordKey + "/PAN";

    /// <summary>The purpose a terminal's key is stored under, e.g. <c>terminal/ATM00001/TPK</c>; both ledgers use it.</summary>
    public static string TerminalKeyPurpose(string terminalId, string key) => "terminal/" + terminalId + "/" + key;

    /// <summary>The stored lookup key of a card: HMAC-SHA256 of the PAN, hex. Equal PANs give equal digests.</summary>
    public string PanDigest(string pan)
    {
        Span<byte> digest = stackalloc byte[32];
        HMACSHA256.HashData(_panIndexKey, Encoding.ASCII.GetBytes(pan), digest);
        return Convert.ToHexString(digest);
    }

    public void Dispose()
    {
        lock (_cipherLock)
        {
            _cipher.Dispose();
        }

        CryptographicOperations.ZeroMemory(_panIndexKey);
    }
}
