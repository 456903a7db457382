using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Logging;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Ledger.Writer;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>
/// The ledger's single writer: one dedicated thread that owns the LiteDB engine (its API is synchronous and its
/// transactions belong to the thread that began them). It takes every request queued (up to the batch size),
/// applies them all in one transaction, commits, syncs the log to disk, checkpoints when due, and only then
/// completes the callers: an approval is never answered before its debit is durable.
/// </summary>
/// <remarks>
/// LiteDB's <c>Commit()</c> writes the log but never syncs it, and its automatic checkpoint (inside
/// <c>Commit()</c>) could copy unsynced log pages into the data file. So the engine gets our own streams, whose
/// <c>Flush()</c> syncs, the automatic checkpoint is off (pragma CHECKPOINT = 0), and this writer syncs after each
/// commit and checkpoints itself, after a sync. A storage failure is fatal: the engine is closed and never used again.
/// </remarks>
[SuppressMessage("Reliability", "CA1001", Justification = "The writer thread closes the database itself when it stops (Close, CloseQuietly).")]
internal sealed class GroupCommitWriter
{
    private readonly LedgerOptions _options;
    private readonly LedgerQueue _queue;
    private readonly TimeProvider _time;
    private readonly IDurableStreamFactory _streams;
    private readonly LedgerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly RequestProcessor _processor;
    private readonly IssuerPinVerifiers _pins = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource<LedgerStartState> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<LedgerWork> _inFlight = [];
    private readonly List<RequestWork> _batch = [];
    private Stream? _dataStream;
    private Stream? _logStream;
    private LiteDatabase? _database;
    private LedgerStore? _store;
    private KeyProtector? _protector;
    private int _batchesSinceCheckpoint;

    /// <param name="queue">The ledger's queue: this writer is its only reader, and fails what it holds when storage fails.</param>
    public GroupCommitWriter(
        LedgerOptions options,
        LedgerQueue queue,
        TimeProvider time,
        IDurableStreamFactory streams,
        LedgerMetrics metrics,
        ILogger logger)
    {
        _options = options;
        _queue = queue;
        _time = time;
        _streams = streams;
        _metrics = metrics;
        _logger = logger;
        _processor = new RequestProcessor(options.PinTryLimit, _pins, LiteDbStorageFailure.Is, logger);
        _thread = new Thread(Run) { Name = "SocketAtm ledger writer", IsBackground = true };
    }

    /// <summary>The PVKs this writer verifies PINs under, by PVKI; an admin operation that changes them loads them here.</summary>
    public IssuerPinVerifiers Pins => _pins;

    /// <summary>Completes when the database is open, seeded and checked; fails with <see cref="LedgerStartupException"/>.</summary>
    public Task<LedgerStartState> Opened => _opened.Task;

    /// <summary>Completes when the writer has closed the database, normally or after a storage failure.</summary>
    public Task Stopped => _stopped.Task;

    public void Start() => _thread.Start();

    private void Run()
    {
        try
        {
            _opened.TrySetResult(Open());
        }
        catch (Exception exception)
        {
            CloseQuietly();
            _opened.TrySetException(exception is LedgerStartupException
                ? exception
                : new LedgerStartupException($"The ledger at '{_options.DataFilePath}' could not be opened: {exception.Message}", exception));
            _stopped.TrySetResult();
            return;
        }

        try
        {
            while (TryTakeNext(out var work))
            {
                switch (work)
                {
                    case AdminWork admin:
                        RunAdmin(admin);
                        break;
                    case RequestWork request:
                        CommitBatch(request);
                        break;
                    default:
                        work.FailAsUnknownTo("LiteDB ledger writer");
                        break;
                }
            }

            Checkpoint();
            Close();
            LedgerLog.Closed(_logger);
        }
        catch (Exception exception)
        {
            Fail(exception);
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private LedgerStartState Open()
    {
        var directory = Path.GetFullPath(_options.DataDirectory);
        try
        {
            OwnerOnlyFiles.CreateDirectory(directory);
            _dataStream = _streams.Open(_options.DataFilePath);
            _logStream = _streams.Open(_options.LogFilePath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new LedgerStartupException($"The ledger cannot use its data directory '{directory}': {exception.Message}", exception);
        }

        _protector = KeyEncryptionKeySource.CreateProtector(_options, databaseIsNew: _dataStream.Length == 0, _logger);

        // Where an open's time goes (logged with the open): a restart's time to serve is the sum, issue 18's figure.
        var opening = _time.GetTimestamp();

        // LiteDB recovers here: committed transactions still in the log are indexed and served from it.
        _database = new LiteDatabase(new LiteEngine(new EngineSettings { DataStream = _dataStream, LogStream = _logStream }));
        if (_database.CheckpointSize != 0)
        {
            _database.CheckpointSize = 0;
        }

        _store = new LedgerStore(_database, _protector, _options.CachedRecords);
        _store.EnsureIndexes();
        if (_store.IsEmpty())
        {
            Seed(_store);
        }
        else
        {
            LedgerFormat.Migrate(_database, _time.GetUtcNow(), _logger);
        }

        SyncLog();
        var recovered = _time.GetTimestamp();
        var report = LedgerInvariants.Check(_store, _time.GetUtcNow(), _options.RepeatRetention);
        if (!report.Holds)
        {
            throw LedgerStartupException.FailedInvariants($"The ledger at '{_options.DataFilePath}'", report);
        }

        var checkedAt = _time.GetTimestamp();
        Checkpoint();
        var checkpointed = _time.GetTimestamp();
        try
        {
            var pinVerificationKey = _store.FindPinVerificationKey()
                ?? throw new LedgerStartupException($"The ledger at '{_options.DataFilePath}' holds no PIN verification key.");
            var cardVerificationKey = _store.FindCardVerificationKey() ?? AddCardVerificationKey(pinVerificationKey);
            var terminals = _store.AllTerminals().ToList();
            _pins.Load(_store.PinVerificationKeys().All);
            LedgerLog.Opened(
                _logger,
                _options.DataFilePath,
                report.AccountsChecked,
                report.JournalRows,
                Milliseconds(opening, _time.GetTimestamp()),
                Milliseconds(opening, recovered),
                Milliseconds(recovered, checkedAt),
                Milliseconds(checkedAt, checkpointed));
            return new LedgerStartState(terminals, pinVerificationKey, cardVerificationKey);
        }
        catch (CryptographicException)
        {
            throw new LedgerStartupException(
                $"The key-encryption key does not open the keys stored in '{_options.DataFilePath}': is Ledger:KeyEncryptionKey or '{_options.KeyEncryptionKeyFilePath}' the one this ledger was created with?");
        }
    }

    private long Milliseconds(long from, long to) => (long)_time.GetElapsedTime(from, to).TotalMilliseconds;

    /// <summary>Gives a ledger of a host from before track 2 was verified its CVK (<see cref="CardVerificationKeys"/>), durably.</summary>
    private CardVerificationKey AddCardVerificationKey(PinVerificationKey pinVerificationKey)
    {
        var database = _database!;
        var key = CardVerificationKeys.ForLedgerWithout(pinVerificationKey, _logger);
        database.BeginTrans();
        _store!.SaveCardVerificationKey(key);
        database.Commit();
        SyncLog();
        return key;
    }

    private void Seed(LedgerStore store)
    {
        var database = _database!;
        database.BeginTrans();
        var sequences = store.LoadSequences();
        if (_options.SeedDemoData)
        {
            var pinVerificationKey = DemoData.PinVerificationKey;
            store.SavePinVerificationKey(pinVerificationKey);
            store.SaveCardVerificationKey(CardVerificationKeys.ForNewLedger(seedDemoData: true));
            foreach (var terminal in DemoData.Terminals())
            {
                store.UpsertTerminal(terminal);
            }

            var issued = DemoData.Cards().Select(card => CardIssuer.Issue(card, pinVerificationKey, sequences, _options)).ToList();
            store.InsertAccounts(issued.Select(pair => pair.Account));
            store.InsertCards(issued.Select(pair => pair.Card));
            LedgerLog.SeededDemoData(_logger);
        }
        else
        {
            store.SavePinVerificationKey(new PinVerificationKey(RandomNumberGenerator.GetBytes(16), 1));
            store.SaveCardVerificationKey(CardVerificationKeys.ForNewLedger(seedDemoData: false));
        }

        store.SaveSequences(sequences);
        LedgerFormat.MarkCurrent(database);
        database.Commit();
    }

    private bool TryTakeNext(out LedgerWork work)
    {
        var queue = _queue.Reader;
        while (!queue.TryRead(out work!))
        {
            // A dedicated thread may block: waiting here costs no pool thread.
            if (!queue.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                return false;
            }
        }

        return true;
    }

    private void CommitBatch(RequestWork first)
    {
        _batch.Clear();
        _batch.Add(first);
        var queue = _queue.Reader;
        while (_batch.Count < _options.MaxBatchSize && queue.TryPeek(out var next) && next is RequestWork && queue.TryRead(out next))
        {
            _batch.Add((RequestWork)next);
        }

        _inFlight.Clear();
        _inFlight.AddRange(_batch);
        var started = Stopwatch.GetTimestamp();
        var now = _time.GetUtcNow();
        var database = _database!;
        database.BeginTrans();
        var unit = new LiteDbUnitOfWork(_store!);
        foreach (var work in _batch)
        {
            work.Outcome = _processor.Process(work.Request, unit, now);
        }

        unit.SaveChanges();
        database.Commit();
        SyncLog();
        _metrics.RecordCommit(_batch.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        _metrics.RecordSecurityEvents(_batch);
        CheckpointIfDue();
        _inFlight.Clear();
        foreach (var work in _batch)
        {
            work.Complete(_batch.Count);
        }
    }

    private void RunAdmin(AdminWork work)
    {
        _inFlight.Clear();
        _inFlight.Add(work);
        var now = _time.GetUtcNow();
        var database = _database!;
        if (!work.IsReadOnly)
        {
            database.BeginTrans();
        }

        try
        {
            work.Execute(_store!, now);
        }
        catch (Exception exception) when (!LiteDbStorageFailure.Is(exception))
        {
            // Bad input, or a defect in this one operation: nothing of it is kept, and the ledger goes on.
            if (!work.IsReadOnly)
            {
                database.Rollback();
                _store!.ForgetCachedRecords();
            }

            _inFlight.Clear();
            work.Fail(exception);
            return;
        }

        if (!work.IsReadOnly)
        {
            database.Commit();
            SyncLog();
            CheckpointIfDue();
        }

        _inFlight.Clear();
        work.Complete();
    }

    private void SyncLog() => _logStream!.Flush();

    private void CheckpointIfDue()
    {
        if (++_batchesSinceCheckpoint >= _options.CheckpointEveryBatches || _logStream!.Length >= _options.CheckpointLogSizeBytes)
        {
            Checkpoint();
        }
    }

    /// <summary>
    /// Copies the (synced) log into the data file, which LiteDB syncs, then truncates the log; the truncation is
    /// synced before anything new is written to the log, so stale log pages can never be replayed over newer data.
    /// </summary>
    private void Checkpoint()
    {
        _database!.Checkpoint();
        SyncLog();
        _batchesSinceCheckpoint = 0;
        LedgerLog.Checkpointed(_logger);
    }

    private void Close()
    {
        _database?.Dispose();
        _protector?.Dispose();
        _database = null;
        _logStream?.Dispose();
        _dataStream?.Dispose();
    }

    private void Fail(Exception exception)
    {
        _queue.FailAll(exception, _inFlight);
        _inFlight.Clear();
        CloseQuietly();
    }

    private void CloseQuietly()
    {
        // After a failure the engine may be in any state: release what can be released, report nothing more.
        foreach (var release in new Action[] { DisposeDatabaseOrKeepIt, () => _logStream?.Dispose(), () => _dataStream?.Dispose() })
        {
            try
            {
                release();
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                LedgerLog.CloseFailed(_logger, exception);
            }
        }

        _database = null;
    }

    /// <summary>
    /// Disposes an engine that failed, and keeps it reachable for the life of the process. LiteDB 5.0.21 leaves a
    /// transaction whose commit failed undisposed (its own Dispose swallows the error), and that transaction's finalizer
    /// throws ("discarded page must be writable"); an exception in a finalizer ends the process. Keeping the engine
    /// reachable means the finalizer never runs. It happens once per storage failure, after which the host stops.
    /// </summary>
    private void DisposeDatabaseOrKeepIt()
    {
        if (_database is { } database)
        {
            BrokenEngines.Add(database);
            database.Dispose();
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentBag<LiteDatabase> BrokenEngines = [];
}
