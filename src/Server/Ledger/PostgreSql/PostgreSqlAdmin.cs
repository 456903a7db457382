using Npgsql;
using SocketAtm.Protocol.Masking;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// The SQL of the admin operations on cards and the journal: cards added with their accounts, a card's status set, its
/// balance and the journal read. Each runs in a transaction of its own.
/// </summary>
internal sealed class PostgreSqlAdmin(NpgsqlDataSource dataSource, KeyProtector protector, LedgerOptions options, TimeProvider time)
{
    /// <summary>Adds the cards, each with a new account, in one transaction: all or none.</summary>
    public async Task AddCardsAsync(IReadOnlyList<CardRegistration> cards, PinVerificationKey pinVerificationKey, CancellationToken cancellationToken)
    {
        await using var connection = await PostgreSqlConnections.OpenDurableAsync(dataSource, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await InsertCardsAsync(connection, cards, pinVerificationKey, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Sets the card's status, and its PIN tries to 0 when <paramref name="clearPinTries"/>; false when no such card is on file.</summary>
    public async Task<bool> SetCardStatusAsync(string pan, CardStatus status, bool clearPinTries, CancellationToken cancellationToken)
    {
        await using var connection = await PostgreSqlConnections.OpenDurableAsync(dataSource, cancellationToken);
        await using var command = new NpgsqlCommand(
            "UPDATE cards SET status = $1, pin_tries = CASE WHEN $3 THEN 0 ELSE pin_tries END WHERE pan_digest = $2",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = status.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = protector.PanDigest(pan) });
        command.Parameters.Add(new NpgsqlParameter { Value = clearPinTries });
        return await command.ExecuteNonQueryAsync(cancellationToken) != 0;
    }

    public Task<CardBalance?> GetCardBalanceAsync(string pan, CancellationToken cancellationToken) =>
        PostgreSqlRetry.RetryingAsync(token => ReadCardBalanceAsync(pan, token), cancellationToken);

    /// <remarks>Ids come in per-host blocks, so "newest" is by the time the row was decided.</remarks>
    public Task<IReadOnlyList<JournalRecord>> ListJournalForTerminalAsync(string terminalId, int limit, CancellationToken cancellationToken) =>
        ListJournalAsync("terminal_id = $1", terminalId, limit, cancellationToken);

    public Task<IReadOnlyList<JournalRecord>> ListJournalForCardAsync(string pan, int limit, CancellationToken cancellationToken) =>
        ListJournalAsync("card_id = (SELECT id FROM cards WHERE pan_digest = $1)", protector.PanDigest(pan), limit, cancellationToken);

    /// <summary>Inserts the cards and their accounts on <paramref name="connection"/>, inside the caller's transaction.</summary>
    public async Task InsertCardsAsync(
        NpgsqlConnection connection, IReadOnlyList<CardRegistration> cards, PinVerificationKey pinVerificationKey, CancellationToken cancellationToken)
    {
        var pans = new HashSet<string>(StringComparer.Ordinal);
        foreach (var card in cards)
        {
            ArgumentNullException.ThrowIfNull(card, nameof(cards));
            if (!pans.Add(card.Pan))
            {
                throw new ArgumentException($"Card {SensitiveData.MaskPan(card.Pan)} is already on file.", nameof(cards));
            }
        }

        await using (var existing = new NpgsqlCommand("SELECT masked_pan FROM cards WHERE pan_digest = ANY($1) LIMIT 1", connection))
        {
            existing.Parameters.Add(new NpgsqlParameter { Value = cards.Select(card => protector.PanDigest(card.Pan)).ToArray() });
            if (await existing.ExecuteScalarAsync(cancellationToken) is string masked)
            {
                throw new ArgumentException($"Card {masked} is already on file.", nameof(cards));
            }
        }

        var ids = new List<(long Card, long Account)>(cards.Count);
        await using (var next = new NpgsqlCommand("SELECT nextval('card_ids'), nextval('account_ids') FROM generate_series(1, $1)", connection))
        {
            next.Parameters.Add(new NpgsqlParameter { Value = cards.Count });
            await using var reader = await next.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        var issued = cards.Select((card, index) => CardIssuer.Issue(
            card, pinVerificationKey, new LedgerSequences { Card = ids[index].Card - 1, Account = ids[index].Account - 1 }, options)).ToList();
        await using var insert = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                BatchCommand.Of(
                    "INSERT INTO accounts (id, type, currency, opening_balance, balance) "
                    + "SELECT * FROM unnest($1::bigint[], $2::integer[], $3::integer[], $4::bigint[], $4::bigint[])",
                    issued.Select(pair => pair.Account.Id).ToArray(),
                    issued.Select(pair => (int)pair.Account.Type).ToArray(),
                    issued.Select(pair => pair.Account.Currency).ToArray(),
                    issued.Select(pair => pair.Account.Balance).ToArray()),
                BatchCommand.Of(
                    "INSERT INTO cards (id, pan_digest, masked_pan, pvv, pvki, status, expiry, pin_tries, daily_amount_limit, daily_count_limit, "
                    + "account_types, account_ids, service_code) SELECT id, digest, masked, pvv, pvki, status, expiry, 0, amount_limit, count_limit, "
                    + "ARRAY[account_type], ARRAY[account_id], service_code FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::text[], "
                    + "$7::text[], $8::bigint[], $9::integer[], $10::integer[], $11::bigint[], $12::text[]) "
                    + "AS v(id, digest, masked, pvv, pvki, status, expiry, amount_limit, count_limit, account_type, account_id, service_code)",
                    issued.Select(pair => pair.Card.Id).ToArray(),
                    issued.Select(pair => protector.PanDigest(pair.Card.Pan)).ToArray(),
                    issued.Select(pair => pair.Card.MaskedPan).ToArray(),
                    issued.Select(pair => pair.Card.Pvv).ToArray(),
                    issued.Select(pair => pair.Card.Pvki).ToArray(),
                    issued.Select(pair => pair.Card.Status.ToString()).ToArray(),
                    issued.Select(pair => pair.Card.Expiry).ToArray(),
                    issued.Select(pair => pair.Card.DailyAmountLimit).ToArray(),
                    issued.Select(pair => pair.Card.DailyCountLimit).ToArray(),
                    issued.Select(pair => (int)pair.Account.Type).ToArray(),
                    issued.Select(pair => pair.Account.Id).ToArray(),
                    issued.Select(pair => pair.Card.ServiceCode).ToArray()),
            },
        };
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<CardBalance?> ReadCardBalanceAsync(string pan, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT c.masked_pan, c.status, c.pin_tries, c.expiry, a.id, a.type, a.currency, a.balance, "
            + "coalesce(u.amount, 0), coalesce(u.count, 0), c.daily_amount_limit, c.daily_count_limit "
            + "FROM cards c JOIN accounts a ON a.id = c.account_ids[1] "
            + "LEFT JOIN daily_usage u ON u.card_id = c.id AND u.day = $2 WHERE c.pan_digest = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = protector.PanDigest(pan) });
        command.Parameters.Add(new NpgsqlParameter { Value = DailyUsageRecord.BusinessDay(time.GetUtcNow()) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new CardBalance
        {
            MaskedPan = reader.GetString(0),
            Status = Enum.Parse<CardStatus>(reader.GetString(1)),
            PinTries = reader.GetInt32(2),
            Expiry = reader.GetString(3),
            AccountId = reader.GetInt64(4),
            AccountType = (AccountType)reader.GetInt32(5),
            Currency = reader.GetInt32(6),
            LedgerBalance = reader.GetInt64(7),
            AvailableBalance = reader.GetInt64(7),
            UsedToday = reader.GetInt64(8),
            WithdrawalsToday = reader.GetInt32(9),
            DailyAmountLimit = reader.GetInt64(10),
            DailyCountLimit = reader.GetInt32(11),
        };
    }

    private Task<IReadOnlyList<JournalRecord>> ListJournalAsync(string condition, string value, int limit, CancellationToken cancellationToken) =>
        PostgreSqlRetry.RetryingAsync(token => ReadJournalAsync(condition, value, limit, token), cancellationToken);

    private async Task<IReadOnlyList<JournalRecord>> ReadJournalAsync(string condition, string value, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {PostgreSqlRows.JournalColumns} FROM journal WHERE {condition} ORDER BY at_ms DESC, id DESC LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        command.Parameters.Add(new NpgsqlParameter { Value = Math.Max(0, limit) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<JournalRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(PostgreSqlRows.ToJournal(reader));
        }

        return rows;
    }
}
