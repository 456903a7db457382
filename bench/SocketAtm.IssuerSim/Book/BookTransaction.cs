using LiteDB;

namespace SocketAtm.IssuerSim.Book;

/// <summary>What a decision may read and change inside one of the book's transactions.</summary>
internal readonly struct BookTransaction
{
    private readonly ILiteCollection<CardRecord> _cards;
    private readonly ILiteCollection<BookEntry> _entries;
    private readonly ILiteCollection<BsonDocument> _counters;

    internal BookTransaction(ILiteCollection<CardRecord> cards, ILiteCollection<BookEntry> entries, ILiteCollection<BsonDocument> counters)
    {
        _cards = cards;
        _entries = entries;
        _counters = counters;
    }

    public CardRecord? FindCard(string pan) => _cards.FindById(pan);

    public void Save(CardRecord card) => _cards.Upsert(card);

    public BookEntry? FindEntry(string acquirerId, string rrn) => _entries.FindById(BookEntry.KeyOf(acquirerId, rrn));

    /// <summary>Whether an original with this (DE 32, DE 41, DE 11, DE 7) was already booked.</summary>
    public bool HasRequest(string requestKey) => _entries.Exists(entry => entry.RequestKey == requestKey);

    /// <summary>The next booking number (one more than any booked).</summary>
    public long NextSequence()
    {
        var counter = _counters.FindById("sequence") ?? new BsonDocument { ["_id"] = "sequence", ["value"] = 0L };
        var next = counter["value"].AsInt64 + 1;
        counter["value"] = next;
        _counters.Upsert(counter);
        return next;
    }

    public void Save(BookEntry entry) => _entries.Upsert(entry);
}
