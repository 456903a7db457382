namespace SocketAtm.Client.Link;

/// <summary>
/// Wakes everyone waiting for the link or a sign-on to change. Take <see cref="Next"/> before checking the condition,
/// then await it: a change between the check and the await still wakes the waiter.
/// </summary>
internal sealed class StateSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
