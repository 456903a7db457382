using Npgsql;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// The SQL that finds and removes the published demo data (<see cref="DemoData"/>): terminals are recognised by their
/// keys, so all are read and decrypted (an admin operation, never on the request path).
/// </summary>
internal sealed class PostgreSqlDemoData(NpgsqlDataSource dataSource, KeyProtector protector)
{
    public Task<IReadOnlyList<TerminalRecord>> ListTerminalsAsync(CancellationToken cancellationToken) =>
        PostgreSqlRetry.RetryingAsync<IReadOnlyList<TerminalRecord>>(
            async token =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(token);
                return await ReadTerminalsAsync(connection, forUpdate: false, token);
            },
            cancellationToken);

    /// <summary>
    /// One transaction: terminal, card and PVK rows are locked before they are judged, so a writer that journals on a demo
    /// card meanwhile either commits first (and the card is disabled, not deleted) or waits until this has committed.
    /// </summary>
    public async Task<DemoDataRemoval> RemoveAsync(PinVerificationKey replacement, CancellationToken cancellationToken)
    {
        await using var connection = await PostgreSqlConnections.OpenDurableAsync(dataSource, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var terminals = (await ReadTerminalsAsync(connection, forUpdate: true, cancellationToken))
            .Where(DemoData.IsDemoTerminal).Select(terminal => terminal.TerminalId).ToArray();
        await ExecuteAsync(connection, "DELETE FROM terminals WHERE terminal_id = ANY($1)", cancellationToken, (object)terminals);

        var cards = new List<(long Id, string MaskedPan, long[] Accounts)>();
        await using (var lockCards = new NpgsqlCommand("SELECT id, masked_pan, account_ids FROM cards WHERE pan_digest = ANY($1) ORDER BY id FOR UPDATE", connection))
        {
            lockCards.Parameters.Add(new NpgsqlParameter { Value = DemoData.CardNumbers().Select(protector.PanDigest).ToArray() });
            await using var reader = await lockCards.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                cards.Add((reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<long[]>(2)));
            }
        }

        // A statement of its own, after the locks: under READ COMMITTED it sees every journal row committed before them.
        var journaled = new HashSet<long>();
        await using (var withJournal = new NpgsqlCommand("SELECT DISTINCT card_id FROM journal WHERE card_id = ANY($1)", connection))
        {
            withJournal.Parameters.Add(new NpgsqlParameter { Value = cards.Select(card => card.Id).ToArray() });
            await using var reader = await withJournal.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                journaled.Add(reader.GetInt64(0));
            }
        }

        var disabled = cards.Where(card => journaled.Contains(card.Id)).ToList();
        var removed = cards.Where(card => !journaled.Contains(card.Id)).ToList();
        await ExecuteAsync(connection, "UPDATE cards SET status = $2 WHERE id = ANY($1)", cancellationToken, disabled.Select(card => card.Id).ToArray(), CardStatus.Restricted.ToString());
        var removedIds = removed.Select(card => card.Id).ToArray();
        await ExecuteAsync(connection, "DELETE FROM daily_usage WHERE card_id = ANY($1)", cancellationToken, (object)removedIds);
        await ExecuteAsync(connection, "DELETE FROM cards WHERE id = ANY($1)", cancellationToken, (object)removedIds);
        await ExecuteAsync(connection, "DELETE FROM accounts WHERE id = ANY($1)", cancellationToken, (object)removed.SelectMany(card => card.Accounts).ToArray());

        var keys = new PostgreSqlPinVerificationKeys(dataSource, protector);
        var ring = await keys.ReadAsync(connection, forUpdate: true, cancellationToken);
        var demo = ring?.All.FirstOrDefault(DemoData.IsDemoPinVerificationKey);
        var otherCards = 0;
        if (ring is not null && demo is not null)
        {
            otherCards = await PostgreSqlPinVerificationKeys.CountCardsAsync(connection, demo.Index, cancellationToken) - disabled.Count;
            var taken = ReferenceEquals(demo, ring.Issuing)
                ? ring with { Issuing = new PinVerificationKey(replacement.Key, demo.Index) }
                : ring with { Others = [.. ring.Others.Where(key => key.Index != demo.Index)] };
            await keys.SaveAsync(connection, taken, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new DemoDataRemoval(terminals, removed.Count, [.. disabled.Select(card => card.MaskedPan)], demo is not null, otherCards);
    }

    private async Task<IReadOnlyList<TerminalRecord>> ReadTerminalsAsync(NpgsqlConnection connection, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {TerminalRow.Columns} FROM terminals ORDER BY terminal_id" + (forUpdate ? " FOR UPDATE" : string.Empty), connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var terminals = new List<TerminalRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            terminals.Add(TerminalRow.Read(reader).Decrypt(protector));
        }

        return terminals;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
