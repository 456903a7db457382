using SocketAtm.Protocol.Security;

namespace SocketAtm.Client.Security;

/// <summary>
/// The PIN key (TPK) and MAC key (TAK) a terminal uses now. A key exchange's keys stay pending on the host until the
/// terminal first uses them (PROTOCOL.md §11.3), so the keys here are always keys the host accepts: an exchange whose
/// answer never came, or whose keys fail their KCV, leaves them as they were, and the host keeps them too.
/// </summary>
internal sealed class WorkingKeys
{
    private readonly byte[] _masterKey;
    private byte[] _pinKey;
    private byte[] _macKey;

    public WorkingKeys(TerminalKeys keys)
    {
        _masterKey = keys.MasterKey.ToArray();
        _pinKey = keys.PinKey.ToArray();
        _macKey = keys.MacKey.ToArray();
    }

    public byte[] PinKey => Volatile.Read(ref _pinKey);

    public byte[] MacKey => Volatile.Read(ref _macKey);

    /// <summary>Key check values of the keys in use. Safe to show.</summary>
    public (string PinKey, string MacKey) CheckValues => (KeyCheckValue.ToHex(PinKey), KeyCheckValue.ToHex(MacKey));

    /// <summary>
    /// Installs the keys of a key exchange answer's DE 48 when both decrypt under the TMK and match their KCVs; otherwise
    /// keeps the current keys, which the host still holds as current.
    /// </summary>
    public bool TryInstall(ReadOnlySpan<byte> keyExchangeData)
    {
        var pinKey = new byte[KeyWrapping.KeyLength];
        var macKey = new byte[KeyWrapping.KeyLength];
        if (!KeyExchangeData.TryRead(_masterKey, keyExchangeData, pinKey, macKey))
        {
            return false;
        }

        // The old keys are not wiped: a request already made under them may still be answered under them.
        Interlocked.Exchange(ref _pinKey, pinKey);
        Interlocked.Exchange(ref _macKey, macKey);
        return true;
    }
}
