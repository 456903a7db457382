namespace SocketAtm.Server.Ledger.Model;

/// <summary>
/// What one card of another issuer was approved in stand-in on one route and UTC day (PROTOCOL.md §15.10), checked against
/// the route's StandIn:DailyAmount and DailyCount. Counted when approved; a reversal does not give it back (the limits
/// bound what the acquirer lent on the issuer's behalf, and the issuer agreed to no more).
/// </summary>
/// <param name="Route">The route's name.</param>
/// <param name="PanDigest">The card, as the ledger matches it (an HMAC of the PAN: the PAN itself is not stored).</param>
/// <param name="Day">The UTC day as yyyyMMdd.</param>
/// <param name="Amount">Approved in stand-in that day, minor units.</param>
/// <param name="Count">Withdrawals approved in stand-in that day.</param>
internal sealed record StandInUsageRecord(string Route, string PanDigest, int Day, long Amount, int Count)
{
    /// <summary>The stored id: one record per route, card and day.</summary>
    public string Id => StorageId(Route, PanDigest, Day);

    public static string StorageId(string route, string panDigest, int day) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{route}/{panDigest}/{day}");
}
