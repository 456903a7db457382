using Npgsql;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// Which failures of the database may simply be tried again, and how: a read or an admin write a few times at once, a
/// batch with growing, jittered pauses (its loop is in <see cref="PostgreSqlBatchWriter"/>).
/// </summary>
internal static class PostgreSqlRetry
{
    private static readonly TimeSpan MaxBatchRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// True for failures after which the same work may simply run again: serialization failures, deadlocks, the server
    /// shutting down or terminating the session, and lost connections.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
            or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.IsTransient,
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or TimeoutException or System.Net.Sockets.SocketException,
        TimeoutException or IOException or PrunedDuringBatchException => true,
        _ => false,
    };

    /// <summary>The pause before a batch's next attempt: exponential in the attempt, jittered, at most a second.</summary>
    public static TimeSpan BatchRetryDelay(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxBatchRetryDelay.TotalMilliseconds, 5 * Math.Pow(2, attempt) * (0.5 + Random.Shared.NextDouble())));

    /// <summary>
    /// Runs a read, or a write that may safely run twice, again after a transient failure: a pooled connection the server
    /// has since closed fails only on its first use.
    /// </summary>
    public static async Task<T> RetryingAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(cancellationToken);
            }
            catch (Exception exception) when (attempt < 3 && IsTransient(exception))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), cancellationToken);
            }
        }
    }
}
