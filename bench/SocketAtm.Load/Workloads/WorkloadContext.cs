using SocketAtm.Client;
using SocketAtm.Load.Correctness;
using SocketAtm.Load.Measurement;

namespace SocketAtm.Load.Workloads;

/// <summary>What every simulated terminal shares: the fleet, where it reports, and what it expects of the ledger.</summary>
internal sealed record WorkloadContext(
    Workload Workload,
    Fleet.Fleet Fleet,
    RunStatistics Statistics,
    ExpectedLedger Expected,
    MixedShares Shares,
    TimeSpan RequestTimeout,
    TlsClientOptions? Tls = null,
    OffUsTraffic? Traffic = null)
{
    /// <summary>The not-on-us share of the withdrawals (none unless <c>--off-us</c>).</summary>
    public OffUsTraffic OffUs => Traffic ?? OffUsTraffic.None;

    private static readonly long[] Amounts = [2_000, 4_000, 6_000, 10_000, 20_000];

    public int PickCard() => Random.Shared.Next(Fleet.Pans.Count);

    public static long PickAmount() => Amounts[Random.Shared.Next(Amounts.Length)];

    /// <summary>Response codes after which the host has stored nothing for the key (PROTOCOL.md §8).</summary>
    public static bool IsUnrecorded(string responseCode) => responseCode is "12" or "30" or "58" or "63" or "91";

    /// <summary>Declines that this fleet never earns (funds, limits and PINs are all set up to pass) and so are errors.</summary>
    public static bool IsUnexpectedDecline(string responseCode) => responseCode is not "51";
}
