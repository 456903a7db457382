using System.Security.Cryptography;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>
/// The settings a host serving the network (an address off loopback, or any address behind a proxy) needs to run the
/// demo as the tests do: every relaxation of "Going to production" given explicitly, as an operator would have to, and
/// a key-encryption key outside the data directory.
/// </summary>
internal static class OffLoopbackRelaxations
{
    public static string[] Demo() =>
    [
        "--Listener:AllowPlaintext=true",
        "--Ledger:AllowDemoData=true",
        "--Security:AllowTerminalsWithoutMac=true",
        "--Security:AcceptRequestsWithoutTrack2=true",
        "--Ledger:KeyEncryptionKey=" + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
    ];
}
