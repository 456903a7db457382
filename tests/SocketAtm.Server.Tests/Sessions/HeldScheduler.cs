using System.IO.Pipelines;

namespace SocketAtm.Server.Tests.Sessions;

/// <summary>
/// A pipe scheduler that runs work on the thread pool, or, while held, keeps it until released: a test can then
/// make several things happen to a pipe (data flushed, a read cancelled) before the reader sees any of them.
/// </summary>
internal sealed class HeldScheduler : PipeScheduler
{
    private readonly Lock _gate = new();
    private readonly Queue<(Action<object?> Action, object? State)> _held = new();
    private bool _holding;

    /// <summary>How many scheduled items wait for <see cref="Release"/>.</summary>
    public int HeldCount
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Work scheduled from now on waits for <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _holding = true;
        }
    }

    /// <summary>Runs the held work on the thread pool and stops holding.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _holding = false;
            while (_held.TryDequeue(out var work))
            {
                PipeScheduler.ThreadPool.Schedule(work.Action, work.State);
            }
        }
    }

    public override void Schedule(Action<object?> action, object? state)
    {
        lock (_gate)
        {
            if (_holding)
            {
                _held.Enqueue((action, state));
                return;
            }
        }

        PipeScheduler.ThreadPool.Schedule(action, state);
    }
}
