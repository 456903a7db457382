namespace SocketAtm.Server.Ledger.Writer;

/// <summary>A financial request waiting for the writer, and the task its caller awaits.</summary>
internal sealed class RequestWork(LedgerRequest request) : LedgerWork
{
    private readonly TaskCompletionSource<LedgerOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LedgerRequest Request { get; } = request;

    /// <summary>Set by the writer when it decides; handed to the caller only once the batch is durable.</summary>
    public LedgerOutcome? Outcome { get; set; }

    public Task<LedgerOutcome> Completion => _completion.Task;

    public void Complete() =>
        _completion.TrySetResult(Outcome ?? throw new InvalidOperationException("A request was completed before it was decided."));

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}
