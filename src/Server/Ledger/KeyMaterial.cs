namespace SocketAtm.Server.Ledger;

/// <summary>Checks keys handed to a ledger: terminal keys are double-length Triple DES keys.</summary>
internal static class KeyMaterial
{
    /// <summary>A private copy of <paramref name="key"/>, which must be 16 bytes.</summary>
    public static byte[] RequireDoubleLength(byte[] key, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(key, parameterName);
        return key.Length == 16 ? key.ToArray() : throw new ArgumentException("A key is a double-length 3DES key: 16 bytes.", parameterName);
    }
}
