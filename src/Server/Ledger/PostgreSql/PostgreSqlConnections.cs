using Npgsql;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>The ways the ledger's admin side and bootstrap open connections and run a statement.</summary>
internal static class PostgreSqlConnections
{
    /// <summary>A pooled connection whose commits wait for the WAL flush (see <see cref="DurableCommits"/>).</summary>
    public static async Task<NpgsqlConnection> OpenDurableAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var durable = new NpgsqlCommand(DurableCommits.ForSession, connection);
            await durable.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one statement that returns nothing on <paramref name="connection"/>.</summary>
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
