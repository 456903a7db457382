namespace SocketAtm.Server.Ledger.Model;

/// <summary>
/// The delivery state of the one message a forwarded record owes its issuer, kept in the record so that it is written in
/// the writer's batches under the record's key (and its row lock on PostgreSQL) like everything else about the record.
/// </summary>
/// <remarks>
/// A host claims the message for <see cref="ClaimedUntilUnixMilliseconds"/> before sending it, so that of hosts sharing a
/// database one delivers it; a claim not released by then (its host died) is taken over. <see cref="Attempts"/> counts the
/// sends, durably: the first is an 0420, every later one an 0421, across restarts and hosts.
/// </remarks>
internal sealed record SafDelivery
{
    public static readonly SafDelivery None = new();

    /// <summary>How many times the message was sent (claimed and not reported as never having left the host).</summary>
    public int Attempts { get; init; }

    /// <summary>The host that claimed the message to send it now, or null.</summary>
    public string? ClaimedBy { get; init; }

    /// <summary>Until when the claim holds, as Unix milliseconds; another host may take the message over after it.</summary>
    public long ClaimedUntilUnixMilliseconds { get; init; }

    /// <summary>Not to be sent again before this time (the backoff after an unacknowledged try), as Unix milliseconds.</summary>
    public long NextAttemptUnixMilliseconds { get; init; }

    /// <summary>What the last try ended with, for operators (a DE 39, or why there was none); never sensitive. Null before any.</summary>
    public string? LastResult { get; init; }

    /// <summary>DE 39 with which the issuer refused the message (it is then an exception, not retried); null otherwise.</summary>
    public string? RefusedWith { get; init; }

    /// <summary>
    /// True when the message may be claimed at <paramref name="nowUnixMilliseconds"/>: not refused, its backoff over, and no
    /// claim holding (a claim holds until released by its result or its time is up, even for the host that made it, so that
    /// one send is in flight at a time).
    /// </summary>
    public bool IsClaimable(long nowUnixMilliseconds) =>
        RefusedWith is null
        && NextAttemptUnixMilliseconds <= nowUnixMilliseconds
        && (ClaimedBy is null || ClaimedUntilUnixMilliseconds <= nowUnixMilliseconds);
}
