using LiteDB;
using LiteDB.Engine;
using SocketAtm.Protocol.Masking;

namespace SocketAtm.IssuerSim.Book;

/// <summary>
/// The issuer's durable book: cards with their balances, and one <see cref="BookEntry"/> per (acquirer id, RRN), in a
/// LiteDB file of its own. Every change goes through <see cref="Transact{T}"/>: one transaction, committed and its log
/// synced to disk before the caller may answer. LiteDB's automatic checkpoint is off, since it could copy unsynced
/// log pages into the data file; the book checkpoints itself after a sync. One caller at a time (a lock): LiteDB's
/// transactions belong to the thread that began them, and a simulator needs no more throughput than that gives.
/// </summary>
internal sealed class IssuerBook : IDisposable
{
    public const string DataFileName = "issuer-book.db";
    public const string LogFileName = "issuer-book-log.db";

    private const int CommitsPerCheckpoint = 500;

    private readonly Lock _gate = new();
    private readonly SyncedFileStream _data;
    private readonly SyncedFileStream _log;
    private readonly LiteDatabase _database;
    private readonly ILiteCollection<CardRecord> _cards;
    private readonly ILiteCollection<BookEntry> _entries;
    private readonly ILiteCollection<BsonDocument> _counters;
    private int _commitsSinceCheckpoint;
    private bool _disposed;

    private IssuerBook(SyncedFileStream data, SyncedFileStream log)
    {
        _data = data;
        _log = log;
        _database = new LiteDatabase(new LiteEngine(new EngineSettings { DataStream = data, LogStream = log }));
        if (_database.CheckpointSize != 0)
        {
            _database.CheckpointSize = 0;
        }

        _cards = _database.GetCollection<CardRecord>("cards");
        _entries = _database.GetCollection<BookEntry>("entries");
        _counters = _database.GetCollection("counters");
        _entries.EnsureIndex(entry => entry.RequestKey);
    }

    /// <summary>Whether the book was created by this open (and seeded with the demo cards).</summary>
    public bool IsNew { get; private set; }

    public static string DataFilePath(string directory) => Path.Combine(directory, DataFileName);

    /// <summary>Opens (creating and seeding when new) the book in <paramref name="directory"/>.</summary>
    /// <exception cref="IssuerSimulatorStartupException">The directory or its files cannot be used.</exception>
    public static IssuerBook Open(string directory)
    {
        SyncedFileStream? data = null;
        SyncedFileStream? log = null;
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                // Owner-only, like the files in it: the book holds the simulator's cards.
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            data = new SyncedFileStream(DataFilePath(directory));
            log = new SyncedFileStream(Path.Combine(directory, LogFileName));
            var book = new IssuerBook(data, log);
            if (book._cards.Count() == 0)
            {
                book.Seed();
                book.IsNew = true;
            }

            book.Checkpoint();
            return book;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or LiteException)
        {
            log?.Dispose();
            data?.Dispose();
            throw new IssuerSimulatorStartupException($"The book in '{directory}' cannot be opened (is another simulator using it?): {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and makes it durable (commit, log synced) before returning its
    /// result. Work that throws leaves nothing behind.
    /// </summary>
    public T Transact<T>(Func<BookTransaction, T> work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _database.BeginTrans();
            T result;
            try
            {
                result = work(new BookTransaction(_cards, _entries, _counters));
            }
            catch
            {
                _database.Rollback();
                throw;
            }

            _database.Commit();
            _log.Flush();
            if (++_commitsSinceCheckpoint >= CommitsPerCheckpoint)
            {
                Checkpoint();
            }

            return result;
        }
    }

    /// <summary>Every entry, by acquirer id then RRN.</summary>
    public IReadOnlyList<BookEntry> Entries()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return [.. _entries.FindAll().OrderBy(entry => entry.AcquirerId, StringComparer.Ordinal).ThenBy(entry => entry.Rrn, StringComparer.Ordinal)];
        }
    }

    /// <summary>A card's balance in minor units, null when the book has no such card.</summary>
    public long? BalanceOf(string pan)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _cards.FindById(pan)?.Balance;
        }
    }

    /// <summary>The cards as (masked PAN, balance), for the start-up line.</summary>
    public IReadOnlyList<(string MaskedPan, long Balance)> Cards()
    {
        lock (_gate)
        {
            return [.. _cards.FindAll().Select(card => (SensitiveData.MaskPan(card.Id), card.Balance))];
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                Checkpoint();
            }
            finally
            {
                _database.Dispose();
                _log.Dispose();
                _data.Dispose();
            }
        }
    }

    /// <summary>Copies the synced log into the data file and syncs again, so a truncated log is never replayed over newer data.</summary>
    private void Checkpoint()
    {
        _database.Checkpoint();
        _data.Flush();
        _log.Flush();
        _commitsSinceCheckpoint = 0;
    }

    private void Seed()
    {
        _database.BeginTrans();
        foreach (var card in IssuerDemoData.Cards)
        {
            _cards.Insert(new CardRecord
            {
                Id = card.Pan,
                PinHash = PinDigest.Of(card.Pan, IssuerDemoData.Pin),
                Expiry = card.Expiry,
                Blocked = card.Blocked,
                Currency = IssuerDemoData.Currency,
                Balance = card.Balance,
            });
        }

        _database.Commit();
        _log.Flush();
    }
}
