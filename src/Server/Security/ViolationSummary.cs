using System.Globalization;

namespace SocketAtm.Server.Security;

/// <summary>
/// One window of a terminal or an address that ended with throttled violations: how many were throttled, of which kind,
/// from where. A terminal's becomes its one aggregated journal row (<see cref="Detail"/>); an address's is only logged. No
/// PAN or anything else from the requests is kept.
/// </summary>
/// <param name="IsTerminal">True for a terminal's window (<see cref="Key"/> is its id); false for an address's (the address key).</param>
/// <param name="StartedAt">When the window's first violation came.</param>
/// <param name="Window">The window's length, as configured.</param>
/// <param name="Journaled">Violations of the window that were journaled one by one (the first, up to the threshold).</param>
/// <param name="Mac">Throttled violations with a missing or wrong MAC.</param>
/// <param name="Stale">Throttled violations with a stale DE 7.</param>
/// <param name="UnknownTerminal">Throttled requests naming no registered, enabled terminal (an address's only).</param>
/// <param name="Address">For a terminal's window: the address its first throttled violation came from (null when unknown).</param>
/// <param name="OtherAddresses">For a terminal's window: true when throttled violations came from other addresses too.</param>
/// <param name="Unauthenticated">Throttled financial requests of a terminal without a MAC key over a connection that does not vouch for it.</param>
internal sealed record ViolationSummary(
    bool IsTerminal,
    string Key,
    DateTimeOffset StartedAt,
    TimeSpan Window,
    int Journaled,
    int Mac,
    int Stale,
    int UnknownTerminal,
    string? Address,
    bool OtherAddresses,
    int Unauthenticated = 0)
{
    /// <summary>The violations of the window that were throttled (not journaled one by one).</summary>
    public int Throttled => Mac + Stale + UnknownTerminal + Unauthenticated;

    /// <summary>
    /// The aggregated journal row's detail: "190 violations (mac: 190, stale: 0) from 127.0.0.1 in 00:01:00 from
    /// 2026-11-25T10:00:00Z, after 10 journaled one by one".
    /// </summary>
    public string Detail => string.Create(
        CultureInfo.InvariantCulture,
        $"{Throttled} violations (mac: {Mac}, stale: {Stale}{(Unauthenticated > 0 ? $", unauthenticated terminal: {Unauthenticated}" : string.Empty)}) from {Sources} in {Window:c} from {StartedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, after {Journaled} journaled one by one");

    /// <summary>"127.0.0.1", "127.0.0.1 and other addresses", or "an unknown address".</summary>
    public string Sources => (Address ?? "an unknown address") + (OtherAddresses ? " and other addresses" : string.Empty);
}
