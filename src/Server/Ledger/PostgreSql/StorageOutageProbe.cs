using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// Watches the database after a read outside the writer failed: a host whose terminals' lookups fail never queues a
/// request, so without this its writer never sees the outage and it would answer 96 for ever instead of stopping after
/// <c>Storage:RetryWindow</c> as a failing batch makes it (README, "Scaling out"). One probe runs at a time; it tries
/// the database with the batch's jittered pauses and, if the database stays unreachable for the whole window, fails
/// the ledger the way the writer does.
/// </summary>
internal sealed class StorageOutageProbe(NpgsqlDataSource dataSource, TimeSpan retryWindow, Action<Exception> fail, ILogger logger) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private int _running;

    /// <summary>Starts a probe unless one runs: <paramref name="failure"/> was transient, so the database may be back soon.</summary>
    public void Suspect(Exception failure)
    {
        if (PostgreSqlRetry.IsTransient(failure) && Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            PostgreSqlLog.StorageSuspected(logger, failure.GetType().Name, (failure as PostgresException)?.SqlState);
            _ = Task.Run(() => ProbeAsync(failure));
        }
    }

    private async Task ProbeAsync(Exception first)
    {
        var started = Stopwatch.GetTimestamp();
        var last = first;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var command = dataSource.CreateCommand("SELECT 1");
                    await command.ExecuteScalarAsync(_stopping.Token);
                    return;
                }
                catch (Exception exception) when (PostgreSqlRetry.IsTransient(exception) && !_stopping.IsCancellationRequested)
                {
                    last = exception;
                }

                if (Stopwatch.GetElapsedTime(started) >= retryWindow)
                {
                    fail(last);
                    return;
                }

                await Task.Delay(PostgreSqlRetry.BatchRetryDelay(attempt), _stopping.Token);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The ledger is closing.
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
