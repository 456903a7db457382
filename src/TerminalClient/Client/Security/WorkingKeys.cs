using System.Security.Cryptography;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Client.Security;

/// <summary>
/// The PIN key (TPK) and MAC key (TAK) a terminal uses now, and whether the host still holds them. The host switches keys
/// the moment it answers a key exchange (PROTOCOL.md §11.3), so after an exchange that got no valid answer (lost, timed
/// out, garbled, a wrong KCV) the host may already use keys this terminal does not have: they stay in doubt, and nothing
/// may be sent under them, until an exchange succeeds.
/// </summary>
internal sealed class WorkingKeys
{
    private readonly byte[] _masterKey;
    private byte[] _pinKey;
    private byte[] _macKey;
    private volatile bool _inDoubt;

    public WorkingKeys(TerminalKeys keys)
    {
        _masterKey = keys.MasterKey.ToArray();
        _pinKey = keys.PinKey.ToArray();
        _macKey = keys.MacKey.ToArray();
    }

    public byte[] PinKey => Volatile.Read(ref _pinKey);

    public byte[] MacKey => Volatile.Read(ref _macKey);

    /// <summary>True from a key exchange without a valid answer until one with a valid answer.</summary>
    public bool InDoubt => _inDoubt;

    /// <summary>Key check values of the keys in use. Safe to show.</summary>
    public (string PinKey, string MacKey) CheckValues => (KeyCheckValue.ToHex(PinKey), KeyCheckValue.ToHex(MacKey));

    /// <summary>A key exchange went out and no usable answer came back.</summary>
    public void MarkInDoubt() => _inDoubt = true;

    /// <summary>
    /// Installs the keys of a key exchange answer's DE 48 when both decrypt under the TMK and match their KCVs; otherwise
    /// keeps the current keys and marks them in doubt (the host already uses the keys it sent).
    /// </summary>
    public bool TryInstall(ReadOnlySpan<byte> keyExchangeData)
    {
        var pinKey = new byte[KeyWrapping.KeyLength];
        var macKey = new byte[KeyWrapping.KeyLength];
        if (!KeyExchangeData.TryRead(_masterKey, keyExchangeData, pinKey, macKey))
        {
            MarkInDoubt();
            return false;
        }

        var oldPinKey = Interlocked.Exchange(ref _pinKey, pinKey);
        var oldMacKey = Interlocked.Exchange(ref _macKey, macKey);
        CryptographicOperations.ZeroMemory(oldPinKey);
        CryptographicOperations.ZeroMemory(oldMacKey);
        _inDoubt = false;
        return true;
    }
}
