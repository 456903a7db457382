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

    public abstract Task<IReadOnlyList<OwedReversal>> ListOwedReversalsAsync(string route, int limit, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<ForwardedRequest>> ListPendingForwardsAsync(DateTimeOffset forwardedBefore, int limit, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<AcquirerBookEntry>> ListAcquirerBookAsync(string? route, CancellationToken cancellationToken);

    /// <summary>
    /// Queues the step, waiting for room rather than being answered 91 like a terminal's request in a full queue: what
    /// happened upstream must be recorded. Cancelling stops the wait, not the work, once queued.
    /// </summary>
    private async Task<LedgerOutcome> RecordStepAsync(RequestKey key, UpstreamStep step, CancellationToken cancellationToken)
    {
        var work = new RequestWork(new LedgerRequest
        {
            Kind = TransactionKind.UpstreamStep,
            Key = key,
            Mti = 0,
            Pan = string.Empty,
            Upstream = step,
            ReceivedAt = Time.GetUtcNow(),
        });
        await Queue.EnqueueAsync(work, cancellationToken);
        return await work.Completion.WaitAsync(cancellationToken);
    }
}
