using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SocketAtm.Protocol.Masking;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// The ledger on PostgreSQL, for several hosts on one database: the <see cref="QueuedLedger"/> shell over this host's
/// <see cref="PostgreSqlBatchWriter"/> (group commit, decided by the same processor and rules as on LiteDB). Cards, PIN tries, balances, terminal keys and the journal live only in the database, so every
/// host sees the same state; terminals are read through a short cache. Admin operations run in their own transactions
/// and take the same row locks as the writer. Keys are stored under the KEK, which all hosts of one database share.
/// </summary>
internal sealed class PostgreSqlLedger : QueuedLedger
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly KeyProtector _protector;
    private readonly PostgreSqlBatchWriter _writer;
    private readonly PinVerifier _pins = new();

    private PostgreSqlLedger(
        LedgerOptions options,
        PostgreSqlStorageOptions storage,
        TimeProvider time,
        NpgsqlDataSource dataSource,
        KeyProtector protector,
        Action<Exception>? onFatal,
        IMeterFactory? meterFactory,
        ILogger logger)
        : base(options, time, storage.TerminalCacheDuration, onFatal, meterFactory, logger)
    {
        _dataSource = dataSource;
        _protector = protector;
        _writer = new PostgreSqlBatchWriter(dataSource, protector, _pins, options, storage, Queue, time, Metrics, logger);
    }

    protected override Task WriterStopped => _writer.Stopped;

    /// <summary>
    /// Connects, creates or migrates the schema and seeds an empty database (once, whichever host gets there first),
    /// checks the invariants and starts the writer.
    /// </summary>
    /// <exception cref="LedgerStartupException">The ledger cannot be opened; the message is one printable line without secrets.</exception>
    public static async Task<PostgreSqlLedger> OpenAsync(
        LedgerOptions options,
        PostgreSqlStorageOptions storage,
        TimeProvider timeProvider,
        Action<Exception>? onFatal = null,
        IMeterFactory? meterFactory = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(timeProvider);
        logger ??= NullLogger.Instance;
        NpgsqlConnectionStringBuilder connection;
        try
        {
            connection = new NpgsqlConnectionStringBuilder(storage.ConnectionString);
        }
        catch (ArgumentException)
        {
            // Not the exception's message: it may quote the connection string, password included.
            throw new LedgerStartupException("Storage:ConnectionString is not a valid PostgreSQL connection string.");
        }

        var dataSource = NpgsqlDataSource.Create(connection);
        KeyProtector? protector = null;
        try
        {
            var (version, isNew) = await MigrateAsync(dataSource, logger, cancellationToken);
            try
            {
                protector = KeyEncryptionKeySource.CreateProtector(options, databaseIsNew: isNew, logger);
            }
            catch (LedgerStartupException) when (!isNew && string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
            {
                throw new LedgerStartupException(
                    $"The PostgreSQL ledger on {connection.Host}/{connection.Database} holds encrypted keys, and this host has no key-encryption key: give it the same Ledger:KeyEncryptionKey (or Ledger:KeyEncryptionKeyFile) as the other hosts of this database.");
            }

            var ledger = new PostgreSqlLedger(options, storage, timeProvider, dataSource, protector, onFatal, meterFactory, logger);
            await ledger.SeedIfEmptyAsync(cancellationToken);
            var report = await ledger.VerifyInvariantsAsync(cancellationToken);
            if (!report.Holds)
            {
                throw LedgerStartupException.FailedInvariants($"The PostgreSQL ledger on {connection.Host}/{connection.Database}", report);
            }

            ledger.PinVerificationKey = await ledger.ReadPinVerificationKeyAsync(connection, cancellationToken);
            ledger._pins.Load(ledger.PinVerificationKey);
            ledger._writer.Start();
            PostgreSqlLog.Opened(logger, connection.Host, connection.Database, version, report.AccountsChecked, report.JournalRows);
            return ledger;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException or LedgerStartupException)
        {
            protector?.Dispose();
            await dataSource.DisposeAsync();
            throw exception as LedgerStartupException ?? new LedgerStartupException(
                $"The PostgreSQL ledger on {connection.Host}/{connection.Database} could not be opened: {exception.Message}", exception)
            {
                IsTransient = PostgreSqlBatchWriter.IsTransient(exception),
            };
        }
    }

    /// <summary>Brings the schema to the latest version under an advisory lock; says whether the database holds no ledger yet.</summary>
    private static async Task<(int Version, bool IsNew)> MigrateAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, $"SELECT pg_advisory_xact_lock({PostgreSqlSchema.MigrationLockKey})", cancellationToken);
        await Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)", cancellationToken);
        await using (var read = new NpgsqlCommand("SELECT max(version) FROM schema_version", connection))
        {
            var stored = await read.ExecuteScalarAsync(cancellationToken);
            var version = stored is int number ? number : 0;
            for (var next = version + 1; next <= PostgreSqlSchema.Migrations.Count; next++)
            {
                await Execute(connection, PostgreSqlSchema.Migrations[next - 1], cancellationToken);
                await Execute(connection, string.Create(CultureInfo.InvariantCulture, $"DELETE FROM schema_version; INSERT INTO schema_version VALUES ({next})"), cancellationToken);
            }

            if (version > PostgreSqlSchema.Migrations.Count)
            {
                throw new LedgerStartupException(
                    $"The PostgreSQL ledger's schema is at version {version}, newer than this host knows ({PostgreSqlSchema.Migrations.Count}): upgrade the host.");
            }

            await using var empty = new NpgsqlCommand("SELECT NOT EXISTS (SELECT 1 FROM host_keys)", connection);
            var isNew = (bool)(await empty.ExecuteScalarAsync(cancellationToken))!;
            await transaction.CommitAsync(cancellationToken);
            if (version < PostgreSqlSchema.Migrations.Count)
            {
                PostgreSqlLog.Migrated(logger, version, PostgreSqlSchema.Migrations.Count);
            }

            return (PostgreSqlSchema.Migrations.Count, isNew);
        }
    }

    private async Task SeedIfEmptyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenDurableConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The same lock as migration: of two hosts starting on an empty database, one seeds and the other then finds it seeded.
        await Execute(connection, $"SELECT pg_advisory_xact_lock({PostgreSqlSchema.MigrationLockKey})", cancellationToken);
        await using (var empty = new NpgsqlCommand("SELECT NOT EXISTS (SELECT 1 FROM host_keys)", connection))
        {
            if (!(bool)(await empty.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }
        }

        if (Options.SeedDemoData)
        {
            await SavePinVerificationKeyAsync(connection, DemoData.PinVerificationKey, cancellationToken);
            foreach (var terminal in DemoData.Terminals())
            {
                await UpsertTerminalAsync(connection, terminal, cancellationToken);
            }

            await InsertCardsAsync(connection, DemoData.Cards().ToList(), DemoData.PinVerificationKey, cancellationToken);
            LedgerLog.SeededDemoData(Logger);
        }
        else
        {
            await SavePinVerificationKeyAsync(connection, new PinVerificationKey(RandomNumberGenerator.GetBytes(16), 1), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <remarks>Served from memory for <see cref="PostgreSqlStorageOptions.TerminalCacheDuration"/>, so a key exchange made on
    /// another host is seen here within that time (a PIN verified meanwhile under the replaced keys is verified again by
    /// the writer, under the keys it reads in its transaction).</remarks>
    public override async ValueTask<TerminalRecord?> FindTerminalAsync(string terminalId, CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetTimestamp();
        if (Terminals.TryGetFresh(terminalId, now, out var cached))
        {
            return cached;
        }

        var terminal = await RetryingAsync(
            async token =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(token);
                return await ReadTerminalAsync(connection, terminalId, forUpdate: false, token);
            },
            cancellationToken);

        // Stamped with when the read started: a key update that committed meanwhile stored a newer version, which stays.
        return Terminals.Offer(terminalId, terminal, now);
    }

    protected override async Task<TerminalRecord> StoreTerminalAsync(TerminalRecord terminal, CancellationToken cancellationToken)
    {
        await using var connection = await OpenDurableConnectionAsync(cancellationToken);
        return terminal with { KeyVersion = await UpsertTerminalAsync(connection, terminal, cancellationToken) };
    }

    protected override Task<TerminalRecord> ExchangeTerminalKeysAsync(
        string terminalId, Func<TerminalRecord, TerminalRecord> exchange, CancellationToken cancellationToken) =>
        RetryingAsync(token => ReplaceTerminalKeysAsync(terminalId, exchange, token), cancellationToken);

    private async Task<TerminalRecord> ReplaceTerminalKeysAsync(
        string terminalId, Func<TerminalRecord, TerminalRecord> exchange, CancellationToken cancellationToken)
    {
        await using var connection = await OpenDurableConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var terminal = await ReadTerminalAsync(connection, terminalId, forUpdate: true, cancellationToken)
            ?? throw TerminalNotRegistered(terminalId);
        var changed = exchange(terminal);
        if (ReferenceEquals(changed, terminal))
        {
            return terminal;
        }

        changed = changed with { KeyVersion = await UpsertTerminalAsync(connection, changed, cancellationToken) };
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    public override async Task AddCardsAsync(IReadOnlyList<CardRegistration> cards, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cards);
        var pinVerificationKey = PinVerificationKey;
        await using var connection = await OpenDurableConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await InsertCardsAsync(connection, cards, pinVerificationKey, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    protected override async Task StoreCardStatusAsync(string pan, CardStatus status, bool clearPinTries, CancellationToken cancellationToken)
    {
        await using var connection = await OpenDurableConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "UPDATE cards SET status = $1, pin_tries = CASE WHEN $3 THEN 0 ELSE pin_tries END WHERE pan_digest = $2",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = status.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = _protector.PanDigest(pan) });
        command.Parameters.Add(new NpgsqlParameter { Value = clearPinTries });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw CardNotOnFile(pan);
        }
    }

    public override Task<CardBalance?> GetCardBalanceAsync(string pan, CancellationToken cancellationToken) =>
        RetryingAsync(token => ReadCardBalanceAsync(pan, token), cancellationToken);

    private async Task<CardBalance?> ReadCardBalanceAsync(string pan, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT c.masked_pan, c.status, c.pin_tries, c.expiry, a.id, a.type, a.currency, a.balance, "
            + "coalesce(u.amount, 0), coalesce(u.count, 0), c.daily_amount_limit, c.daily_count_limit "
            + "FROM cards c JOIN accounts a ON a.id = c.account_ids[1] "
            + "LEFT JOIN daily_usage u ON u.card_id = c.id AND u.day = $2 WHERE c.pan_digest = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = _protector.PanDigest(pan) });
        command.Parameters.Add(new NpgsqlParameter { Value = DailyUsageRecord.BusinessDay(Time.GetUtcNow()) });
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

    /// <remarks>Ids come in per-host blocks, so "newest" is by the time the row was decided.</remarks>
    public override Task<IReadOnlyList<JournalRecord>> ListJournalForTerminalAsync(string terminalId, int limit, CancellationToken cancellationToken) =>
        ListJournalAsync("terminal_id = $1", terminalId, limit, cancellationToken);

    public override Task<IReadOnlyList<JournalRecord>> ListJournalForCardAsync(string pan, int limit, CancellationToken cancellationToken) =>
        ListJournalAsync("card_id = (SELECT id FROM cards WHERE pan_digest = $1)", _protector.PanDigest(pan), limit, cancellationToken);

    /// <remarks>Reads one consistent snapshot, so the check holds while other hosts keep writing.</remarks>
    public override Task<InvariantReport> VerifyInvariantsAsync(CancellationToken cancellationToken) =>
        RetryingAsync(CheckInvariantsAsync, cancellationToken);

    private async Task<InvariantReport> CheckInvariantsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var violations = new List<string>();
        await using var check = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT count(*)::integer FROM accounts"),
                new NpgsqlBatchCommand("SELECT count(*) FROM journal"),
                new NpgsqlBatchCommand(
                    "SELECT format('account %s holds %s but its opening balance and journal give %s', a.id, a.balance, a.opening_balance + coalesce(j.total, 0)) "
                    + "FROM accounts a LEFT JOIN (SELECT account_id, sum(delta) AS total FROM journal WHERE delta <> 0 GROUP BY account_id) j "
                    + "ON j.account_id = a.id WHERE a.balance <> a.opening_balance + coalesce(j.total, 0) ORDER BY a.id LIMIT 100"),
                new NpgsqlBatchCommand(
                    "SELECT format('journal row %s moves %s on no account', id, delta) FROM journal WHERE delta <> 0 AND account_id IS NULL LIMIT 100"),
                new NpgsqlBatchCommand(
                    "SELECT format('the journal moves %s on account %s, which is not on file', sum(delta), account_id) FROM journal j "
                    + "WHERE delta <> 0 AND account_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = j.account_id) "
                    + "GROUP BY account_id LIMIT 100"),
                new NpgsqlBatchCommand(
                    "SELECT format('key %s was applied more than once (%s journal rows)', key, count(*)) FROM journal "
                    + "WHERE disposition = 'Decided' GROUP BY key HAVING count(*) > 1 LIMIT 100"),
                // EXCEPT, not NOT EXISTS: on tables not yet analyzed, LIMIT made the planner pick a nested loop over the whole
                // journal for every key — minutes at 60,000 rows, during which a restarting host does not listen.
                new NpgsqlBatchCommand(
                    $"SELECT format('key %s has a stored outcome but no journal row', key) FROM (SELECT key FROM idempotency_keys WHERE state = {PostgreSqlSchema.Decided} "
                    + "EXCEPT SELECT key FROM journal WHERE disposition = 'Decided') missing LIMIT 100"),
                new NpgsqlBatchCommand(
                    "SELECT format('key %s was decided in the journal but has no stored outcome', key) FROM (SELECT key FROM journal WHERE disposition = 'Decided' "
                    + $"EXCEPT SELECT key FROM idempotency_keys WHERE state = {PostgreSqlSchema.Decided}) missing LIMIT 100"),
            },
        };
        await using var reader = await check.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var accounts = reader.GetInt32(0);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var journalRows = reader.GetInt64(0);
        while (await reader.NextResultAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (violations.Count < 100)
                {
                    violations.Add(reader.GetString(0));
                }
            }
        }

        return new InvariantReport(accounts, journalRows, violations);
    }

    /// <summary>A pooled connection whose commits wait for the WAL flush (see <see cref="DurableCommits"/>).</summary>
    private async Task<NpgsqlConnection> OpenDurableConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
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

    /// <summary>Closes the connections and wipes the keys, once the writer has stopped.</summary>
    protected override async ValueTask ReleaseStorageAsync()
    {
        await _dataSource.DisposeAsync();
        _protector.Dispose();
    }

    private Task<IReadOnlyList<JournalRecord>> ListJournalAsync(string condition, string value, int limit, CancellationToken cancellationToken) =>
        RetryingAsync(token => ReadJournalAsync(condition, value, limit, token), cancellationToken);

    /// <summary>
    /// Runs a read, or a write that may safely run twice, again after a transient failure: a pooled connection the server
    /// has since closed fails only on its first use.
    /// </summary>
    private static async Task<T> RetryingAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(cancellationToken);
            }
            catch (Exception exception) when (attempt < 3 && PostgreSqlBatchWriter.IsTransient(exception))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), cancellationToken);
            }
        }
    }

    private async Task<IReadOnlyList<JournalRecord>> ReadJournalAsync(string condition, string value, int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
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

    private async Task InsertCardsAsync(
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
            existing.Parameters.Add(new NpgsqlParameter { Value = cards.Select(card => _protector.PanDigest(card.Pan)).ToArray() });
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
            card, pinVerificationKey, new LedgerSequences { Card = ids[index].Card - 1, Account = ids[index].Account - 1 }, Options)).ToList();
        await using var insert = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                PostgreSqlBatchWriter.Command(
                    "INSERT INTO accounts (id, type, currency, opening_balance, balance) "
                    + "SELECT * FROM unnest($1::bigint[], $2::integer[], $3::integer[], $4::bigint[], $4::bigint[])",
                    issued.Select(pair => pair.Account.Id).ToArray(),
                    issued.Select(pair => (int)pair.Account.Type).ToArray(),
                    issued.Select(pair => pair.Account.Currency).ToArray(),
                    issued.Select(pair => pair.Account.Balance).ToArray()),
                PostgreSqlBatchWriter.Command(
                    "INSERT INTO cards (id, pan_digest, masked_pan, pvv, pvki, status, expiry, pin_tries, daily_amount_limit, daily_count_limit, "
                    + "account_types, account_ids) SELECT id, digest, masked, pvv, pvki, status, expiry, 0, amount_limit, count_limit, "
                    + "ARRAY[account_type], ARRAY[account_id] FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::text[], "
                    + "$7::text[], $8::bigint[], $9::integer[], $10::integer[], $11::bigint[]) "
                    + "AS v(id, digest, masked, pvv, pvki, status, expiry, amount_limit, count_limit, account_type, account_id)",
                    issued.Select(pair => pair.Card.Id).ToArray(),
                    issued.Select(pair => _protector.PanDigest(pair.Card.Pan)).ToArray(),
                    issued.Select(pair => pair.Card.MaskedPan).ToArray(),
                    issued.Select(pair => pair.Card.Pvv).ToArray(),
                    issued.Select(pair => pair.Card.Pvki).ToArray(),
                    issued.Select(pair => pair.Card.Status.ToString()).ToArray(),
                    issued.Select(pair => pair.Card.Expiry).ToArray(),
                    issued.Select(pair => pair.Card.DailyAmountLimit).ToArray(),
                    issued.Select(pair => pair.Card.DailyCountLimit).ToArray(),
                    issued.Select(pair => (int)pair.Account.Type).ToArray(),
                    issued.Select(pair => pair.Account.Id).ToArray()),
            },
        };
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<TerminalRecord?> ReadTerminalAsync(NpgsqlConnection connection, string terminalId, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {TerminalRow.Columns} FROM terminals WHERE terminal_id = $1" + (forUpdate ? " FOR UPDATE" : string.Empty), connection);
        command.Parameters.Add(new NpgsqlParameter { Value = terminalId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? TerminalRow.Read(reader).Decrypt(_protector) : null;
    }

    /// <summary>Stores the terminal; returns its key version, which every write of the row advances.</summary>
    private async Task<long> UpsertTerminalAsync(NpgsqlConnection connection, TerminalRecord terminal, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO terminals (terminal_id, enabled, requires_mac, master_key, pin_key, mac_key, previous_pin_key, previous_mac_key, "
            + "previous_keys_valid_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (terminal_id) DO UPDATE SET "
            + "enabled = excluded.enabled, requires_mac = excluded.requires_mac, master_key = excluded.master_key, pin_key = excluded.pin_key, "
            + "mac_key = excluded.mac_key, previous_pin_key = excluded.previous_pin_key, previous_mac_key = excluded.previous_mac_key, "
            + "previous_keys_valid_until = excluded.previous_keys_valid_until, key_version = terminals.key_version + 1 RETURNING key_version",
            connection);
        var id = terminal.TerminalId;
        var previous = terminal.PreviousKeys;
        foreach (var value in new object?[]
        {
            id,
            terminal.Enabled,
            terminal.RequiresMac,
            _protector.Protect(terminal.MasterKey, KeyProtector.TerminalKeyPurpose(id, "TMK")),
            _protector.Protect(terminal.PinKey, KeyProtector.TerminalKeyPurpose(id, "TPK")),
            _protector.Protect(terminal.MacKey, KeyProtector.TerminalKeyPurpose(id, "TAK")),
            previous is null ? null : _protector.Protect(previous.PinKey, KeyProtector.TerminalKeyPurpose(id, "previous TPK")),
            previous is null ? null : _protector.Protect(previous.MacKey, KeyProtector.TerminalKeyPurpose(id, "previous TAK")),
            previous?.ValidUntil.ToUnixTimeMilliseconds(),
        })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task SavePinVerificationKeyAsync(NpgsqlConnection connection, PinVerificationKey key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO host_keys (id, key, key_index) VALUES ('PVK', $1, $2) ON CONFLICT (id) DO UPDATE SET key = excluded.key, key_index = excluded.key_index",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = _protector.Protect(key.Key, "host/PVK") });
        command.Parameters.Add(new NpgsqlParameter { Value = key.Index });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<PinVerificationKey> ReadPinVerificationKeyAsync(NpgsqlConnectionStringBuilder connection, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT key, key_index FROM host_keys WHERE id = 'PVK'");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new LedgerStartupException($"The PostgreSQL ledger on {connection.Host}/{connection.Database} holds no PIN verification key.");
        }

        try
        {
            return new PinVerificationKey(_protector.Unprotect(reader.GetString(0), "host/PVK"), reader.GetInt32(1));
        }
        catch (CryptographicException)
        {
            throw new LedgerStartupException(
                $"The key-encryption key does not open the keys stored in {connection.Host}/{connection.Database}: every host of one database needs the same Ledger:KeyEncryptionKey.");
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

}
