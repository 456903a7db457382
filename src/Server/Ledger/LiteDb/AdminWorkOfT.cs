namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>An admin operation with a result.</summary>
internal sealed class AdminWork<T>(Func<LedgerStore, DateTimeOffset, T> operation, bool isReadOnly) : AdminWork
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public override bool IsReadOnly { get; } = isReadOnly;

    public Task<T> Completion => _completion.Task;

    public override void Execute(LedgerStore store, DateTimeOffset now) => _result = operation(store, now);

    public override void Complete() => _completion.TrySetResult(_result!);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}
