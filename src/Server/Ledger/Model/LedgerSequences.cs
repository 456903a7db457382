using System.Globalization;

namespace SocketAtm.Server.Ledger.Model;

/// <summary>
/// The counters that hand out journal ids, RRNs and authorization ids within a batch, and card and account ids. The
/// LiteDB ledger stores them in one document, saved in the same transaction as whatever used them; the PostgreSQL ledger
/// starts them at each batch from the host's block of ids (and card and account ids from the database's sequences).
/// Either way an id or reference number is never handed out twice, across restarts and hosts included.
/// </summary>
internal sealed class LedgerSequences
{
    private const long RetrievalReferenceSpace = 1_000_000_000_000;
    private const long AuthorizationIdSpace = 1_000_000;

    public long Journal { get; set; }

    public long RetrievalReference { get; set; }

    public long AuthorizationId { get; set; }

    public long Card { get; set; }

    public long Account { get; set; }

    public long NextJournalId() => ++Journal;

    public long NextCardId() => ++Card;

    public long NextAccountId() => ++Account;

    /// <summary>The next RRN (DE 37): 12 digits. Unique until 10^12 have been issued.</summary>
    public string NextRetrievalReference() =>
        (++RetrievalReference % RetrievalReferenceSpace).ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>The next authorization id (DE 38): 6 digits, 000001–999999, cycling.</summary>
    public string NextAuthorizationId() =>
        ((++AuthorizationId % (AuthorizationIdSpace - 1)) + 1).ToString("D6", CultureInfo.InvariantCulture);
}
