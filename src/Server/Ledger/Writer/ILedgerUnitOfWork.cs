using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.Writer;

/// <summary>
/// The state one batch is decided on, as <see cref="RequestProcessor"/> sees it: lookups that show the batch's own
/// earlier changes, and changes that are written together when the batch commits. LiteDB and PostgreSQL each provide
/// one, so both decide with the same processor and rules.
/// </summary>
internal interface ILedgerUnitOfWork
{
    /// <summary>The counters that hand out journal ids, RRNs and authorization ids within the batch.</summary>
    LedgerSequences Sequences { get; }

    CardRecord? FindCardByPan(string pan);

    void PutCard(CardRecord card);

    AccountRecord? FindAccount(long id);

    void PutAccount(AccountRecord account);

    DailyUsageRecord? FindDailyUsage(long cardId, int day);

    void PutDailyUsage(DailyUsageRecord usage);

    /// <summary>What the card of <paramref name="panDigest"/> was approved in stand-in on <paramref name="route"/> on <paramref name="day"/>, or null.</summary>
    StandInUsageRecord? FindStandInUsage(string route, string panDigest, int day);

    void PutStandInUsage(StandInUsageRecord usage);

    /// <summary>The decided outcome stored under <paramref name="key"/>, or null when none is.</summary>
    IdempotencyRecord? FindIdempotency(string key);

    void AddIdempotency(IdempotencyRecord record);

    void UpdateIdempotency(IdempotencyRecord record);

    /// <summary>The marker a reversal left for <paramref name="originalKey"/> before its original was seen, or null.</summary>
    ReversalMarker? FindReversalMarker(string originalKey);

    void AddReversalMarker(ReversalMarker marker);

    /// <summary>Replaces the marker stored for its original's key (found in this batch by <see cref="FindReversalMarker"/>).</summary>
    void UpdateReversalMarker(ReversalMarker marker);

    /// <summary>The PAN as the store finds cards by (an HMAC under the ledger's key), to match reversals with originals.</summary>
    string PanDigest(string pan);

    /// <summary>The PAN encrypted under the ledger's KEK for the forwarded record of <paramref name="recordKey"/> (<see cref="ForwardingRecord.SealedPan"/>).</summary>
    string SealPan(string recordKey, string pan);

    void AddJournal(JournalRecord entry);

    /// <summary>The <see cref="TerminalRecord.KeyVersion"/> stored for the terminal now, or null when it is not registered.</summary>
    long? FindTerminalKeyVersion(string terminalId);

    /// <summary>The terminal with the keys stored now (decrypted only when asked for), or null when it is not registered.</summary>
    TerminalRecord? FindTerminal(string terminalId);
}
