namespace SocketAtm.Server.Ledger.Storage;

/// <summary>
/// The one place where key material (terminal keys, the PVK) is turned into its stored form and back. Keys are
/// stored as hex for now; encryption at rest will wrap these two methods and nothing else has to change.
/// </summary>
internal static class KeyProtector
{
    public static string Protect(ReadOnlySpan<byte> key) => Convert.ToHexString(key);

    public static byte[] Unprotect(string stored) => Convert.FromHexString(stored);
}
