namespace SocketAtm.Client.Security;

/// <summary>
/// No financial request is in flight while a terminal exchanges keys, so that every request is made, and its answer
/// checked, under one set of keys. (The host no longer needs it — PROTOCOL.md §11.3: it keeps the current keys until the
/// new ones are used, and accepts the replaced ones for an overlap after that — but it keeps the terminal's rule simple.)
/// Financial requests enter shared; a key exchange enters alone, after the requests in flight have finished, and new
/// requests wait until it is done.
/// </summary>
internal sealed class KeyExchangeGate
{
    private readonly Lock _lock = new();
    private int _active;
    private TaskCompletionSource? _exclusive;
    private TaskCompletionSource? _drained;

    /// <summary>Number of financial requests inside the gate.</summary>
    public int Active
    {
        get
        {
            lock (_lock)
            {
                return _active;
            }
        }
    }

    public async ValueTask EnterAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task exchange;
            lock (_lock)
            {
                if (_exclusive is null)
                {
                    _active++;
                    return;
                }

                exchange = _exclusive.Task;
            }

            await exchange.WaitAsync(cancellationToken);
        }
    }

    public void Exit()
    {
        TaskCompletionSource? drained = null;
        lock (_lock)
        {
            _active--;
            if (_active == 0 && _drained is not null)
            {
                drained = _drained;
                _drained = null;
            }
        }

        drained?.TrySetResult();
    }

    public async ValueTask EnterExclusiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task? otherExchange = null;
            Task? drain = null;
            lock (_lock)
            {
                if (_exclusive is not null)
                {
                    otherExchange = _exclusive.Task;
                }
                else
                {
                    _exclusive = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    if (_active == 0)
                    {
                        return;
                    }

                    _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    drain = _drained.Task;
                }
            }

            if (otherExchange is not null)
            {
                await otherExchange.WaitAsync(cancellationToken);
                continue;
            }

            try
            {
                await drain!.WaitAsync(cancellationToken);
                return;
            }
            catch (OperationCanceledException)
            {
                ExitExclusive();
                throw;
            }
        }
    }

    public void ExitExclusive()
    {
        TaskCompletionSource? exchange;
        lock (_lock)
        {
            exchange = _exclusive;
            _exclusive = null;
            _drained = null;
        }

        exchange?.TrySetResult();
    }
}
