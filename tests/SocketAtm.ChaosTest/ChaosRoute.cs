using System.Globalization;
using SocketAtm.IssuerSim;

namespace SocketAtm.ChaosTest;

/// <summary>
/// The one route the hosts under test reach the issuer simulator by, with short budgets so that faults bite within a
/// short run: a 1 s answer budget (well inside the terminals' own), a breaker that opens after three timeouts in a row,
/// store-and-forward that retries within a second or two. The ZPK goes in the environment, as an operator gives a key.
/// </summary>
internal static class ChaosRoute
{
    public const string Name = "chaos-issuer";
    public const string AcquirerId = "476173";

    /// <summary>
    /// The issuer's PVK the run's stand-in verifies PINs under: a published test value, given to the hosts in an
    /// owner-only file (StandIn:PinVerificationKeyFile) as an operator would, never on the command line.
    /// </summary>
    public const string StandInPvkHex = "0123456789ABCDEFFEDCBA9876543210";

    public const int BreakerFailures = 3;

    /// <summary>Stand-in limits: one withdrawal, one card per UTC day.</summary>
    public const long StandInMaxAmount = 5_000;
    public const long StandInDailyAmount = 20_000;
    public const int StandInDailyCount = 6;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan BreakerOpenFor = TimeSpan.FromSeconds(2);

    /// <summary>How late a late answer is: past <see cref="Timeout"/>, so the host has given up by then.</summary>
    public static readonly TimeSpan LateBy = TimeSpan.FromMilliseconds(1500);

    /// <summary>A message owed longer is flagged expired; the run is far shorter, so none may be left.</summary>
    public static readonly TimeSpan SafExpiry = TimeSpan.FromHours(1);

    /// <summary>Long enough for <see cref="BreakerFailures"/> timeouts of <see cref="Timeout"/> with margin, then some time open.</summary>
    public static readonly TimeSpan BlackoutAtLeast = TimeSpan.FromSeconds(4);

    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SOCKETATM_Routing__Routes__0__ZonePinKey"] = IssuerDemoData.ZonePinKeyHex,
    };

    /// <param name="standInPvkFile">The PVK's file when the run stands in; null: stand-in off.</param>
    public static string[] HostArguments(int issuerPort, string? standInPvkFile) =>
    [
        "--Routing:Routes:0:Name=" + Name,
        "--Routing:Routes:0:Bins:0=" + IssuerDemoData.Bin,
        "--Routing:Routes:0:Endpoints:0=127.0.0.1:" + issuerPort.ToString(CultureInfo.InvariantCulture),
        "--Routing:Routes:0:AcquirerId=" + AcquirerId,
        "--Routing:Routes:0:Connections=2",
        "--Routing:Routes:0:Timeout=" + Invariant(Timeout),
        "--Routing:Routes:0:ReconnectDelay=00:00:00.1",
        "--Routing:Routes:0:MaxReconnectDelay=00:00:00.5",
        "--Routing:Routes:0:BreakerFailures=" + BreakerFailures.ToString(CultureInfo.InvariantCulture),
        "--Routing:Routes:0:BreakerWindow=00:00:10",
        "--Routing:Routes:0:BreakerOpenFor=" + Invariant(BreakerOpenFor),
        "--Routing:Routes:0:SafRetryDelay=00:00:00.2",
        "--Routing:Routes:0:SafMaxRetryDelay=00:00:01",
        "--Routing:Routes:0:SafExpiry=" + Invariant(SafExpiry),
        .. standInPvkFile is not null
            ?
            [
                "--Routing:Routes:0:StandIn:Enabled=true",
                "--Routing:Routes:0:StandIn:PinVerificationKeyFile=" + standInPvkFile,
                "--Routing:Routes:0:StandIn:MaxAmount=" + StandInMaxAmount.ToString(CultureInfo.InvariantCulture),
                "--Routing:Routes:0:StandIn:DailyAmount=" + StandInDailyAmount.ToString(CultureInfo.InvariantCulture),
                "--Routing:Routes:0:StandIn:DailyCount=" + StandInDailyCount.ToString(CultureInfo.InvariantCulture),
            ]
            : Array.Empty<string>(),
    ];

    /// <summary>Writes <see cref="StandInPvkHex"/> to an owner-only file in <paramref name="directory"/>; its path.</summary>
    public static string WriteStandInPvk(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "standin-pvk.hex");
        File.WriteAllText(path, StandInPvkHex);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    private static string Invariant(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
