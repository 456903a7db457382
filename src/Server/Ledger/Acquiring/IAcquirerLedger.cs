using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>
/// The ledger as the host's acquirer side uses it. A terminal's withdrawal or balance inquiry goes through
/// <see cref="ILedger.ExecuteAsync"/> with a <see cref="ForwardingIntent"/>: a card on file is decided on-us as ever; any
/// other card is journaled and stored as pending, durably, and the outcome says <see cref="ForwardingStatus.Forward"/>
/// (with the RRN to send). Then exactly one of <see cref="RecordIssuerAnswerAsync"/> and <see cref="GiveUpAsync"/> takes
/// effect; the terminal is answered with what it returns, once it completes (the change is durable by then).
/// </summary>
/// <remarks>
/// <para>Every change is decided by the store's writer, in a batch with the terminals' requests, under the same
/// idempotency-key row locks on PostgreSQL: hosts sharing a database see one forwarded record, whichever host forwarded
/// it. A step waits for room in a full queue rather than being refused (it must not be lost).</para>
/// <para>A duplicate 0200 of a forwarded key is 94; a repeat (0201) is told to wait (<see cref="ForwardingStatus.Wait"/>)
/// while pending, and gets the stored answer as a replay after (the issuer's, or 91 after a give-up). A terminal's 0400 of a
/// forwarded original is decided by <see cref="Rules.ForwardingRules"/> and may make a reversal owed.</para>
/// </remarks>
internal interface IAcquirerLedger
{
    /// <summary>
    /// Records the issuer's trusted answer to the pending forwarded request <paramref name="key"/>: it becomes answered, its
    /// answer stored for repeats, journaled (an approved withdrawal counts in <see cref="ListAcquirerBookAsync"/>). Returns the
    /// stored answer, <see cref="LedgerOutcome.IsReplay"/> false. Only a pending request takes an answer: of one answered or
    /// given up already the answer is ignored — journaled as <see cref="JournalDisposition.UpstreamIgnored"/>, nothing
    /// changed — and the stored answer is returned with IsReplay true. A key with no forwarded record: 25, nothing journaled.
    /// </summary>
    Task<LedgerOutcome> RecordIssuerAnswerAsync(RequestKey key, IssuerAnswer answer, CancellationToken cancellationToken);

    /// <summary>
    /// Gives up on the pending forwarded request <paramref name="key"/>: its stored answer becomes 91 and a reversal (68)
    /// is owed upstream, journaled. Returns the 91, IsReplay false. Of a request answered or given up already nothing
    /// changes (nothing journaled): its stored answer is returned with IsReplay true. No forwarded record: 25.
    /// </summary>
    Task<LedgerOutcome> GiveUpAsync(RequestKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Records the issuer's 0430 to the reversal owed for <paramref name="originalKey"/>: DE 39 "00" acknowledges it (no
    /// longer owed, its PAN deleted), journaled; returns 00 with IsReplay false. Otherwise nothing changes (an 0430 other
    /// than "00" is journaled as ignored and the reversal stays owed; none owed, or acknowledged already: a replay).
    /// </summary>
    Task<LedgerOutcome> AcknowledgeReversalAsync(RequestKey originalKey, string responseCode, CancellationToken cancellationToken);

    /// <summary>The forwarded request stored under <paramref name="key"/>, or null: for a repeat that waits on its answer.</summary>
    Task<ForwardedRequest?> FindForwardAsync(RequestKey key, CancellationToken cancellationToken);

    /// <summary>
    /// The messages owed to <paramref name="route"/> — reversals and stand-in advices — not acknowledged and queued for
    /// delivery (not exceptions), oldest first, at most <paramref name="limit"/>, PANs decrypted.
    /// </summary>
    Task<IReadOnlyList<OwedMessage>> ListOwedMessagesAsync(string route, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The store-and-forward queue of <paramref name="route"/> (every route when null): every owed message, queued or an
    /// exception, oldest first, at most <paramref name="limit"/>. PANs are not decrypted (<see cref="OwedMessage.Pan"/> is empty).
    /// </summary>
    Task<IReadOnlyList<OwedMessage>> ListSafAsync(string? route, int limit, CancellationToken cancellationToken);

    /// <summary>The owed message of the forwarded request with RRN <paramref name="retrievalReference"/>, or null (PAN not decrypted).</summary>
    Task<OwedMessage?> FindSafAsync(string retrievalReference, CancellationToken cancellationToken);

    /// <summary>
    /// The reconciliation exceptions of stand-in: journal rows of advices the issuer booked with the card decision it would
    /// have made (<see cref="JournalDisposition.AdviceDisputed"/>), newest first, at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<JournalRecord>> ListDisputedAdvicesAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Depth, exceptions, oldest and expired entries of <paramref name="route"/>'s queue, for metrics and alerts.</summary>
    Task<SafRouteSummary> SummarizeSafAsync(string route, DateTimeOffset expiredBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> of <paramref name="route"/>'s queued messages for <paramref name="claimant"/> to
    /// send now, until <paramref name="leaseUntil"/>, each counted as an attempt durably first: of each card only its oldest
    /// queued message (in order per card), and only one whose backoff is over and that no other host holds a live claim on.
    /// Returns what was claimed, PANs decrypted; another host's claim on the same message fails (one host delivers each).
    /// </summary>
    Task<IReadOnlyList<OwedMessage>> ClaimSafAsync(string route, string claimant, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records how a claimed attempt ended (<see cref="SafAttemptResult"/>; PROTOCOL.md §15.6): 00 acknowledges (journaled),
    /// no answer/91/96 retries at its time, anything else keeps it as an exception (journaled). Returns the record's stored
    /// answer, IsReplay true when nothing changed. <paramref name="originalKey"/> names the forwarded original.
    /// </summary>
    Task<LedgerOutcome> RecordSafResultAsync(RequestKey originalKey, SafAttemptResult result, CancellationToken cancellationToken);

    /// <summary>
    /// Decides the pending forwarded request <paramref name="key"/> in stand-in (<see cref="StandInDecision"/>): its stored
    /// answer becomes the decision, journaled <see cref="JournalDisposition.StoodIn"/>; an approval counts on the card's
    /// stand-in usage and owes the issuer its advice, in the same commit. <paramref name="pan"/> is the request's (the
    /// usage is the card's). Of a request no longer pending nothing changes: its stored answer, IsReplay true.
    /// </summary>
    Task<LedgerOutcome> StandInAsync(RequestKey key, StandInTerms terms, string pan, CancellationToken cancellationToken);

    /// <summary>Puts the exception of <paramref name="originalKey"/> back in the queue (<c>admin saf retry</c>); IsReplay true when it held none.</summary>
    Task<LedgerOutcome> RetrySafAsync(RequestKey originalKey, CancellationToken cancellationToken);

    /// <summary>
    /// Forwarded requests still pending that were forwarded before <paramref name="forwardedBefore"/>, oldest first, at most
    /// <paramref name="limit"/>: the host's restart sweep gives them up (<see cref="GiveUpAsync"/>).
    /// </summary>
    Task<IReadOnlyList<ForwardedRequest>> ListPendingForwardsAsync(DateTimeOffset forwardedBefore, int limit, CancellationToken cancellationToken);

    /// <summary>The acquirer's book with the issuer of <paramref name="route"/> (all routes when null), by route and RRN.</summary>
    Task<IReadOnlyList<AcquirerBookEntry>> ListAcquirerBookAsync(string? route, CancellationToken cancellationToken);
}
