using System.Security.Cryptography;

namespace SocketAtm.Client;

/// <summary>
/// The three double-length Triple DES keys a terminal holds: the master key (TMK) that protects key exchanges, the PIN
/// key (TPK) for DE 52 and the MAC key (TAK) for DE 64 / DE 128. Immutable: a terminal copies them when it is created,
/// and a key exchange changes the terminal's copy, never this object.
/// </summary>
public sealed class TerminalKeys
{
    private const int KeyLength = 16;

    private readonly byte[] _masterKey;
    private readonly byte[] _pinKey;
    private readonly byte[] _macKey;

    /// <summary>Creates a key set from 16-byte keys.</summary>
    /// <exception cref="ArgumentException">A key is not 16 bytes.</exception>
    public TerminalKeys(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> pinKey, ReadOnlySpan<byte> macKey)
    {
        _masterKey = Copy(masterKey, nameof(masterKey));
        _pinKey = Copy(pinKey, nameof(pinKey));
        _macKey = Copy(macKey, nameof(macKey));
    }

    /// <summary>
    /// The published demo keys of PROTOCOL.md §13, the same for every demo terminal. Never use them in production.
    /// </summary>
    public static TerminalKeys Demo { get; } = FromHex(
        "F72E4C31320DC7AA66EAEAB7FAA58FAD",
        "A13F766224F292F868D54D2CFAB1683A",
        "1146ADC3F56CFB56FF054B0FEA03B0EE");

    /// <summary>Creates a key set from 32 hex digits per key.</summary>
    /// <exception cref="FormatException">A key is not hex.</exception>
    /// <exception cref="ArgumentException">A key is not 16 bytes.</exception>
    public static TerminalKeys FromHex(string masterKey, string pinKey, string macKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        ArgumentNullException.ThrowIfNull(pinKey);
        ArgumentNullException.ThrowIfNull(macKey);
        var tmk = Convert.FromHexString(masterKey);
        var tpk = Convert.FromHexString(pinKey);
        var tak = Convert.FromHexString(macKey);
        try
        {
            return new TerminalKeys(tmk, tpk, tak);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(tmk);
            CryptographicOperations.ZeroMemory(tpk);
            CryptographicOperations.ZeroMemory(tak);
        }
    }

    internal ReadOnlySpan<byte> MasterKey => _masterKey;

    internal ReadOnlySpan<byte> PinKey => _pinKey;

    internal ReadOnlySpan<byte> MacKey => _macKey;

    /// <summary>Key check values only: the keys themselves are never shown.</summary>
    public override string ToString() =>
        $"TMK KCV {Protocol.Security.KeyCheckValue.ToHex(_masterKey)}, TPK KCV {Protocol.Security.KeyCheckValue.ToHex(_pinKey)}, TAK KCV {Protocol.Security.KeyCheckValue.ToHex(_macKey)}";

    private static byte[] Copy(ReadOnlySpan<byte> key, string name) => key.Length == KeyLength
        ? key.ToArray()
        : throw new ArgumentException($"A double-length key has {KeyLength} bytes, got {key.Length}.", name);
}
