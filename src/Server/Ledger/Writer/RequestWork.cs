using System.Diagnostics;
using SocketAtm.Server.Diagnostics;

namespace SocketAtm.Server.Ledger.Writer;

/// <summary>A financial request waiting for the writer, and the task its caller awaits.</summary>
internal sealed class RequestWork(LedgerRequest request) : LedgerWork
{
    private readonly TaskCompletionSource<LedgerOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LedgerRequest Request { get; } = request;

    /// <summary>Set by the writer when it decides; handed to the caller only once the batch is durable.</summary>
    public LedgerOutcome? Outcome { get; set; }

    /// <summary>The commit's span (<see cref="AtmTracing.LedgerCommitSpanName"/>), ended with the work; null when the request is not traced.</summary>
    public Activity? Trace { get; init; }

    public Task<LedgerOutcome> Completion => _completion.Task;

    /// <summary>Hands the durable outcome to the caller.</summary>
    /// <param name="batchSize">How many requests the writer committed in the same transaction.</param>
    public void Complete(int batchSize)
    {
        var outcome = Outcome ?? throw new InvalidOperationException("A request was completed before it was decided.");
        if (Trace is { } trace)
        {
            trace.SetTag(AtmTracing.BatchSizeTag, batchSize);
            trace.SetTag(AtmTracing.ResponseCodeTag, outcome.ResponseCode);
            trace.Stop();
        }

        _completion.TrySetResult(outcome);
    }

    public override void Fail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (Trace is { } trace)
        {
            // The exception's type only: its message may quote a database's text, which is not the trace's business.
            trace.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            trace.Stop();
        }

        _completion.TrySetException(exception);
    }
}
