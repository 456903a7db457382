using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// The ledger on PostgreSQL, for several hosts on one database: the <see cref="QueuedLedger"/> shell over this host's
/// <see cref="PostgreSqlBatchWriter"/> (group commit, decided by the same processor and rules as on LiteDB). Cards, PIN
/// tries, balances, terminal keys and the journal live only in the database, so every host sees the same state;
/// terminals are read through a short cache. Admin operations run in their own transactions and take the same row locks
/// as the writer. Keys are stored under the KEK, which all hosts of one database share. Opening is
/// <see cref="PostgreSqlBootstrap"/>'s work, terminals are <see cref="PostgreSqlTerminals"/>', cards and the journal
/// <see cref="PostgreSqlAdmin"/>'s and the invariant check <see cref="PostgreSqlInvariants"/>'.
/// </summary>
internal sealed class PostgreSqlLedger : QueuedLedger
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly KeyProtector _protector;
    private readonly PostgreSqlTerminals _terminalTable;
    private readonly PostgreSqlAdmin _admin;
    private readonly PostgreSqlForwards _forwards;
    private readonly PostgreSqlDemoData _demoData;
    private readonly PostgreSqlBatchWriter _writer;
    private readonly PostgreSqlPinVerificationKeys _pinVerificationKeys;
    private readonly IssuerPinVerifiers _pins = new();
    private readonly StorageOutageProbe _outage;

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
        _terminalTable = new PostgreSqlTerminals(dataSource, protector);
        _admin = new PostgreSqlAdmin(dataSource, protector, options, time);
        _forwards = new PostgreSqlForwards(dataSource, protector);
        _demoData = new PostgreSqlDemoData(dataSource, protector);
        _pinVerificationKeys = new PostgreSqlPinVerificationKeys(dataSource, protector);
        _writer = new PostgreSqlBatchWriter(dataSource, protector, _pins, options, storage, Queue, time, Metrics, logger);
        _outage = new StorageOutageProbe(dataSource, storage.RetryWindow, failure => Queue.FailAll(failure, []), logger);
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
        PostgreSqlLedger? ledger = null;
        try
        {
            var (version, isNew) = await PostgreSqlBootstrap.MigrateAsync(dataSource, logger, cancellationToken);
            try
            {
                protector = KeyEncryptionKeySource.CreateProtector(options, databaseIsNew: isNew, logger);
            }
            catch (LedgerStartupException) when (!isNew && string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
            {
                throw new LedgerStartupException(
                    $"The PostgreSQL ledger on {connection.Host}/{connection.Database} holds encrypted keys, and this host has no key-encryption key: give it the same Ledger:KeyEncryptionKey (or Ledger:KeyEncryptionKeyFile) as the other hosts of this database.");
            }

            ledger = new PostgreSqlLedger(options, storage, timeProvider, dataSource, protector, onFatal, meterFactory, logger);
            await PostgreSqlBootstrap.SeedIfEmptyAsync(
                dataSource, protector, ledger._terminalTable, ledger._admin, options.SeedDemoData, logger, cancellationToken);
            var report = await ledger.VerifyInvariantsAsync(cancellationToken);
            if (!report.Holds)
            {
                throw LedgerStartupException.FailedInvariants($"The PostgreSQL ledger on {connection.Host}/{connection.Database}", report);
            }

            var pinVerificationKeys = await PostgreSqlBootstrap.ReadPinVerificationKeysAsync(dataSource, protector, connection, cancellationToken);
            ledger.PinVerificationKey = pinVerificationKeys.Issuing;
            ledger._pins.Load(pinVerificationKeys.All);
            ledger.CardVerificationKey = await PostgreSqlBootstrap.EnsureCardVerificationKeyAsync(
                dataSource, protector, pinVerificationKeys.Issuing, connection, logger, cancellationToken);
            ledger._writer.Start();
            ledger.StartPruning();
            PostgreSqlLog.Opened(logger, connection.Host, connection.Database, version, report.AccountsChecked, report.JournalRows);
            return ledger;
        }
        catch (Exception exception)
        {
            // Whatever stopped the opening (cancellation included), release what it had created: once built, the ledger
            // owns the connections, the keys and its meter, and disposing it stops a writer already started.
            if (ledger is not null)
            {
                await ledger.DisposeAsync();
            }
            else
            {
                protector?.Dispose();
                await dataSource.DisposeAsync();
            }

            if (exception is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                throw new LedgerStartupException($"The PostgreSQL ledger on {connection.Host}/{connection.Database} could not be opened: {exception.Message}", exception)
                {
                    IsTransient = PostgreSqlRetry.IsTransient(exception),
                };
            }

            throw;
        }
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

        TerminalRecord? terminal;
        try
        {
            terminal = await _terminalTable.FindAsync(terminalId, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _outage.Suspect(exception);
            throw;
        }

        // Stamped with when the read started: a key update that committed meanwhile stored a newer version, which stays.
        return Terminals.Offer(terminalId, terminal, now);
    }

    protected override Task<TerminalRecord> StoreTerminalAsync(TerminalRecord terminal, bool replace, CancellationToken cancellationToken) =>
        _terminalTable.RegisterAsync(terminal, replace, cancellationToken);

    protected override async Task<TerminalRecord> ChangeTerminalKeysAsync(
        string terminalId, Func<TerminalRecord, TerminalRecord> change, CancellationToken cancellationToken) =>
        await _terminalTable.ChangeKeysAsync(terminalId, change, cancellationToken) ?? throw TerminalNotRegistered(terminalId);

    public override async Task AddCardsAsync(IReadOnlyList<CardRegistration> cards, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cards);
        await _admin.AddCardsAsync(cards, PinVerificationKey, cancellationToken);
    }

    protected override async Task StoreCardStatusAsync(string pan, CardStatus status, bool clearPinTries, CancellationToken cancellationToken)
    {
        if (!await _admin.SetCardStatusAsync(pan, status, clearPinTries, cancellationToken))
        {
            throw CardNotOnFile(pan);
        }
    }

    public override Task<CardBalance?> GetCardBalanceAsync(string pan, CancellationToken cancellationToken) =>
        _admin.GetCardBalanceAsync(pan, cancellationToken);

    public override Task<IReadOnlyList<JournalRecord>> ListJournalForTerminalAsync(string terminalId, int limit, CancellationToken cancellationToken) =>
        _admin.ListJournalForTerminalAsync(terminalId, limit, cancellationToken);

    public override Task<IReadOnlyList<JournalRecord>> ListJournalForCardAsync(string pan, int limit, CancellationToken cancellationToken) =>
        _admin.ListJournalForCardAsync(pan, limit, cancellationToken);

    public override Task<Acquiring.ForwardedRequest?> FindForwardAsync(RequestKey key, CancellationToken cancellationToken) =>
        _forwards.FindAsync(key, cancellationToken);

    public override Task<IReadOnlyList<Acquiring.OwedMessage>> ListOwedMessagesAsync(string route, int limit, CancellationToken cancellationToken) =>
        _forwards.ListOwedAsync(route, limit, cancellationToken);

    public override Task<IReadOnlyList<Acquiring.OwedMessage>> ListSafAsync(string? route, int limit, CancellationToken cancellationToken) =>
        _forwards.ListSafAsync(route, limit, cancellationToken);

    public override Task<Acquiring.OwedMessage?> FindSafAsync(string retrievalReference, CancellationToken cancellationToken) =>
        _forwards.FindSafAsync(retrievalReference, cancellationToken);

    public override Task<IReadOnlyList<JournalRecord>> ListDisputedAdvicesAsync(int limit, CancellationToken cancellationToken) =>
        _forwards.ListDisputedAdvicesAsync(limit, cancellationToken);

    public override Task<Acquiring.SafRouteSummary> SummarizeSafAsync(string route, DateTimeOffset expiredBefore, CancellationToken cancellationToken) =>
        _forwards.SummarizeSafAsync(route, expiredBefore, cancellationToken);

    public override Task<IReadOnlyList<Acquiring.ForwardedRequest>> ListPendingForwardsAsync(DateTimeOffset forwardedBefore, int limit, CancellationToken cancellationToken) =>
        _forwards.ListPendingAsync(forwardedBefore, limit, cancellationToken);

    public override Task<IReadOnlyList<Acquiring.AcquirerBookEntry>> ListAcquirerBookAsync(string? route, CancellationToken cancellationToken) =>
        _forwards.ListBookAsync(route, cancellationToken);

    public override Task<InvariantReport> VerifyInvariantsAsync(CancellationToken cancellationToken) =>
        PostgreSqlInvariants.CheckAsync(_dataSource, Time.GetUtcNow(), Options.RepeatRetention, cancellationToken);

    protected internal override Task<int> PruneExpiredAsync(DateTimeOffset cutoff, int limit, CancellationToken cancellationToken) =>
        PostgreSqlPruning.PruneAsync(_dataSource, cutoff, limit, cancellationToken);

    protected override Task<IReadOnlyList<TerminalRecord>> ListTerminalsAsync(CancellationToken cancellationToken) =>
        _demoData.ListTerminalsAsync(cancellationToken);

    protected override async Task<DemoDataRemoval> RemoveDemoDataFromStoreAsync(PinVerificationKey replacement, CancellationToken cancellationToken)
    {
        var removal = await _demoData.RemoveAsync(replacement, cancellationToken);
        if (removal.PinVerificationKeyReplaced)
        {
            _pins.Load((await _pinVerificationKeys.ReadWithCardCountsAsync(cancellationToken)).Ring.All);
        }

        return removal;
    }

    /// <remarks>This host's writer verifies under the new PVKs at once; the other hosts read them at their next start.</remarks>
    protected override async Task<PinVerificationKeyRing> StorePinVerificationKeyAsync(PinVerificationKey key, CancellationToken cancellationToken)
    {
        var ring = await _pinVerificationKeys.ImportAsync(key, cancellationToken);
        _pins.Load(ring.All);
        return ring;
    }

    protected override Task<(PinVerificationKeyRing Ring, IReadOnlyDictionary<int, int> CardsByIndex)> ReadPinVerificationKeysAsync(CancellationToken cancellationToken) =>
        _pinVerificationKeys.ReadWithCardCountsAsync(cancellationToken);

    protected override async Task<bool> StoreCardVerificationKeyAsync(CardVerificationKey key, bool replaceOnlyDemoKey, CancellationToken cancellationToken)
    {
        await using var connection = await PostgreSqlConnections.OpenDurableAsync(_dataSource, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (replaceOnlyDemoKey
            && !(await PostgreSqlBootstrap.ReadCardVerificationKeyAsync(connection, _protector, forUpdate: true, null, cancellationToken) is { } stored
                && DemoData.IsDemoCardVerificationKey(stored)))
        {
            return false;
        }

        await PostgreSqlBootstrap.SaveCardVerificationKeyAsync(connection, _protector, key, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Closes the connections and wipes the keys, once the writer has stopped.</summary>
    protected override async ValueTask ReleaseStorageAsync()
    {
        _outage.Dispose();
        await _dataSource.DisposeAsync();
        _protector.Dispose();
    }
}
