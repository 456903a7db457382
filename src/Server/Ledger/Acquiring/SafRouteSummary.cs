namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>A route's store-and-forward queue at a glance (<see cref="IAcquirerLedger.SummarizeSafAsync"/>).</summary>
/// <param name="Queued">Messages waiting for delivery.</param>
/// <param name="Exceptions">Messages the issuer refused, kept for operators.</param>
/// <param name="Expired">Of all owed messages, those older than the route's SAF expiry: flagged and alerted, never dropped.</param>
/// <param name="OldestOwedAt">When the oldest owed message (queued or exception) became owed; null when none is.</param>
internal sealed record SafRouteSummary(int Queued, int Exceptions, int Expired, DateTimeOffset? OldestOwedAt)
{
    public static readonly SafRouteSummary Empty = new(0, 0, 0, null);

    /// <summary>The summary of <paramref name="owed"/>, a route's owed messages.</summary>
    public static SafRouteSummary Of(IEnumerable<OwedMessage> owed, DateTimeOffset expiredBefore)
    {
        ArgumentNullException.ThrowIfNull(owed);
        int queued = 0, exceptions = 0, expired = 0;
        DateTimeOffset? oldest = null;
        foreach (var entry in owed)
        {
            _ = entry.State == Model.SafState.Queued ? queued++ : exceptions++;
            expired += entry.OwedAt < expiredBefore ? 1 : 0;
            oldest = oldest is { } known && known <= entry.OwedAt ? known : entry.OwedAt;
        }

        return new SafRouteSummary(queued, exceptions, expired, oldest);
    }
}
