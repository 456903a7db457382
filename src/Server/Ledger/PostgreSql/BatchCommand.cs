using Npgsql;
using NpgsqlTypes;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>Builds the batch commands the ledger sends: SQL with positional parameters ($1, $2, …).</summary>
internal static class BatchCommand
{
    /// <summary>A batch command with positional parameters ($1, $2, …). A lone array argument must be cast to object, or it is taken for the list.</summary>
    public static NpgsqlBatchCommand Of(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                long?[] nullableLongs => new NpgsqlParameter { Value = nullableLongs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                string?[] strings => new NpgsqlParameter { Value = strings, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                _ => new NpgsqlParameter { Value = value ?? DBNull.Value },
            });
        }

        return command;
    }
}
