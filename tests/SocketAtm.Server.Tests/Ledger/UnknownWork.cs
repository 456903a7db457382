using SocketAtm.Server.Ledger.Writer;

namespace SocketAtm.Server.Tests.Ledger;

/// <summary>Work of a kind no writer knows (a defect: a new kind queued to a writer that was not taught it), and how it failed.</summary>
internal sealed class UnknownWork : LedgerWork
{
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Fails with what the writer failed the work with; never succeeds.</summary>
    public Task Failed => _failed.Task.WaitAsync(TimeSpan.FromSeconds(20));

    public override void Fail(Exception exception) => _failed.TrySetException(exception);
}
