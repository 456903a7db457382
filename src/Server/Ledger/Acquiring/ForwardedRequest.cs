using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>
/// A forwarded request as stored (on PostgreSQL, as any host of the database stored it): where it stands upstream and its
/// stored answer (91 while pending or after a give-up; the issuer's once answered).
/// </summary>
/// <param name="ForwardedAt">When it was forwarded.</param>
/// <param name="ReversalOwed">True while a reversal is owed upstream for it and not acknowledged.</param>
internal sealed record ForwardedRequest(
    RequestKey Key,
    string Route,
    ForwardState State,
    LedgerOutcome Outcome,
    int AcquirerStan,
    string AcquirerTransmission,
    DateTimeOffset ForwardedAt,
    bool ReversalOwed)
{
    public static ForwardedRequest Of(IdempotencyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var forwarding = record.Forwarding ?? throw new ArgumentException("The record was not forwarded.", nameof(record));
        return new ForwardedRequest(
            RequestKey.Parse(record.Key),
            forwarding.Route,
            forwarding.State,
            record.Outcome with { IsReplay = true },
            forwarding.AcquirerStan,
            forwarding.AcquirerTransmission,
            DateTimeOffset.FromUnixTimeMilliseconds(record.DecidedAtUnixMilliseconds),
            forwarding.IsReversalOwed);
    }
}
