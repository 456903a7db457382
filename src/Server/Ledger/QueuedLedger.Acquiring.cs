using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.Writer;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// The acquirer's part of the shell (<see cref="IAcquirerLedger"/>): each upstream step is a request of kind
/// <see cref="TransactionKind.UpstreamStep"/> under the forwarded request's key, decided in the writer's batches like every
/// request (so it completes only once durable, and takes that key's locks on PostgreSQL); the reads are the store's.
/// </summary>
internal abstract partial class QueuedLedger
{
    public Task<LedgerOutcome> RecordIssuerAnswerAsync(RequestKey key, IssuerAnswer answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return RecordStepAsync(key, answer, cancellationToken);
    }

    public Task<LedgerOutcome> GiveUpAsync(RequestKey key, CancellationToken cancellationToken) =>
        RecordStepAsync(key, UpstreamGiveUp.Instance, cancellationToken);

    public Task<LedgerOutcome> AcknowledgeReversalAsync(RequestKey originalKey, string responseCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(responseCode);
        return RecordStepAsync(originalKey, new ReversalAcknowledgement(responseCode), cancellationToken);
    }

    public abstract Task<ForwardedRequest?> FindForwardAsync(RequestKey key, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<OwedMessage>> ListOwedMessagesAsync(string route, int limit, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<OwedMessage>> ListSafAsync(string? route, int limit, CancellationToken cancellationToken);

    public abstract Task<OwedMessage?> FindSafAsync(string retrievalReference, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<Model.JournalRecord>> ListDisputedAdvicesAsync(int limit, CancellationToken cancellationToken);

    public abstract Task<SafRouteSummary> SummarizeSafAsync(string route, DateTimeOffset expiredBefore, CancellationToken cancellationToken);

    public async Task<IReadOnlyList<OwedMessage>> ClaimSafAsync(
        string route, string claimant, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimant);
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();

        // The oldest queued message of each card, in the owed order; a card whose oldest is held (claimed, or in its
        // backoff) waits with it, so that one card's messages reach the issuer in order. A window a few times the batch
        // holds enough cards for a batch; what it leaves out is the next round's.
        var cards = new HashSet<string>(StringComparer.Ordinal);
        var candidates = new List<OwedMessage>(limit);
        foreach (var owed in await ListOwedMessagesAsync(route, (limit * 4) + 16, cancellationToken))
        {
            if (cards.Add(owed.CardDigest ?? owed.OriginalKey.ToString()) && owed.Saf.IsClaimable(now) && candidates.Count < limit)
            {
                candidates.Add(owed);
            }
        }

        // Queued together, so that the claims share the writer's next batch; each is decided again there, under the
        // record's key (and its row lock on PostgreSQL): a claim another host won in the meantime fails.
        var claim = new SafClaim(claimant, leaseUntil.ToUnixTimeMilliseconds());
        var outcomes = await Task.WhenAll(candidates.Select(owed => RecordStepAsync(owed.OriginalKey, claim, cancellationToken)));
        return [.. candidates.Zip(outcomes)
            .Where(pair => !pair.Second.IsReplay)
            .Select(pair => pair.First with
            {
                Saf = pair.First.Saf with { Attempts = pair.First.Saf.Attempts + 1, ClaimedBy = claimant, ClaimedUntilUnixMilliseconds = claim.LeaseUntilUnixMilliseconds },
            })];
    }

    public Task<LedgerOutcome> RecordSafResultAsync(RequestKey originalKey, SafAttemptResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        return RecordStepAsync(originalKey, result, cancellationToken);
    }

    public Task<LedgerOutcome> StandInAsync(RequestKey key, StandInTerms terms, string pan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(pan);
        return RecordStepAsync(key, new StandInDecision(terms), cancellationToken, pan);
    }

    public Task<LedgerOutcome> RetrySafAsync(RequestKey originalKey, CancellationToken cancellationToken) =>
        RecordStepAsync(originalKey, SafRetry.Instance, cancellationToken);

    public abstract Task<IReadOnlyList<ForwardedRequest>> ListPendingForwardsAsync(DateTimeOffset forwardedBefore, int limit, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<AcquirerBookEntry>> ListAcquirerBookAsync(string? route, CancellationToken cancellationToken);

    /// <summary>
    /// Queues the step, waiting for room rather than being answered 91 like a terminal's request in a full queue: what
    /// happened upstream must be recorded. Cancelling stops the wait, not the work, once queued.
    /// </summary>
    /// <param name="pan">The request's PAN, for a step whose decision needs the card (a stand-in); empty otherwise.</param>
    private async Task<LedgerOutcome> RecordStepAsync(RequestKey key, UpstreamStep step, CancellationToken cancellationToken, string pan = "")
    {
        var work = new RequestWork(new LedgerRequest
        {
            Kind = TransactionKind.UpstreamStep,
            Key = key,
            Mti = 0,
            Pan = pan,
            Upstream = step,
            ReceivedAt = Time.GetUtcNow(),
        });
        await Queue.EnqueueAsync(work, cancellationToken);
        return await work.Completion.WaitAsync(cancellationToken);
    }
}
