using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// A financial request, already checked for format by its handler, handed to the ledger to decide and apply.
/// Holds the full PAN (to find the card) but never the PIN: the session turns the PIN block into a candidate
/// PIN verification value, which the ledger compares with the card's PVV.
/// </summary>
internal sealed record LedgerRequest
{
    /// <summary>What to do.</summary>
    public required TransactionKind Kind { get; init; }

    /// <summary>This request's idempotency key.</summary>
    public required RequestKey Key { get; init; }

    /// <summary>The request MTI as a number (200, 201, 400, 401, 420, 421, 100, 101).</summary>
    public required int Mti { get; init; }

    /// <summary>True for a repeat (0201, 0401, 0421, 0101): a stored answer is returned instead of a 94.</summary>
    public bool IsRepeat => Mti % 2 == 1;

    /// <summary>Primary account number from DE 2 or track 2. Never logged.</summary>
    public required string Pan { get; init; }

    /// <summary>Account type selected by the processing code.</summary>
    public AccountType AccountType { get; init; }

    /// <summary>Transaction amount (DE 4) in minor units; for a reversal, the original amount.</summary>
    public long Amount { get; init; }

    /// <summary>Transaction currency (DE 49), ISO 4217 numeric.</summary>
    public int Currency { get; init; }

    /// <summary>
    /// The PVV computed from the PIN the cardholder entered (4 digits), or null when the request carries no PIN
    /// (reversals) or the PIN block could not be decrypted into a valid PIN (then the PIN counts as wrong).
    /// </summary>
    public string? CandidatePvv { get; init; }

    /// <summary>
    /// The same computed under the terminal's previous PIN key, while a key exchange's overlap lasts (a request sent
    /// just before the exchange); null otherwise. Either candidate matching is a correct PIN.
    /// </summary>
    public string? PreviousKeyCandidatePvv { get; init; }

    /// <summary>True when the request carried a PIN block: a PIN-verified request with no valid candidate is a wrong PIN.</summary>
    public bool HasPinBlock { get; init; }

    /// <summary>
    /// The PIN block (DE 52) as received, still encrypted under the terminal's PIN key, big-endian; null when the request
    /// carried none of <see cref="SocketAtm.Protocol.Security.PinBlock.Length"/> bytes. The session's terminal record may be older than the
    /// ledger's (another host exchanged the keys): the writer then verifies the PIN again under the keys it reads.
    /// </summary>
    public ulong? EncryptedPinBlock { get; init; }

    /// <summary>The <see cref="TerminalRecord.KeyVersion"/> of the keys the candidate PVVs were computed under.</summary>
    public long PinKeyVersion { get; init; }

    /// <summary>
    /// The PVKI of the PVK the candidate PVVs were computed under (the session's: the one new cards are issued under).
    /// Only a card of this PVKI can match them; the writer verifies a card of another PVKI again under its own PVK.
    /// 1 unless set, the PVKI of every ledger that holds one PVK.
    /// </summary>
    public int PinVerificationKeyIndex { get; init; } = 1;

    /// <summary>For a reversal: the key of the original withdrawal, from DE 90 and the terminal.</summary>
    public RequestKey? OriginalKey { get; init; }

    /// <summary>For a partial reversal: the amount actually dispensed (DE 95, actual amount). Null for a full reversal.</summary>
    public long? DispensedAmount { get; init; }

    /// <summary>
    /// True when the request failed its MAC check: the ledger only journals it (answer 63), as a security event, and
    /// applies and stores nothing.
    /// </summary>
    public bool IsSecurityViolation { get; init; }

    /// <summary>
    /// True when the request came from a terminal without a MAC key over a connection that does not vouch for it (PROTOCOL.md
    /// §6, step 3): the ledger only journals it (answer 58), as a security event, and applies and stores nothing — not
    /// even a repeat's stored answer is given.
    /// </summary>
    public bool IsUnauthenticatedTerminal { get; init; }

    /// <summary>
    /// True when DE 7 is outside the transmission window of the host's clock (an 0100/0200 or its repeat; reversals and
    /// advices are never stale). A repeat the ledger holds an answer for gets it whatever its age; any other stale
    /// request is only journaled (answer 63), as a security event, and applies and stores nothing.
    /// </summary>
    public bool IsStale { get; init; }

    /// <summary>
    /// True for a stale request (<see cref="IsStale"/>) of a terminal or address whose violations are throttled: a refusal
    /// is not journaled on its own, since it is counted in the terminal's aggregated row; a repeat the ledger holds an
    /// answer for still gets it, as ever.
    /// </summary>
    public bool IsThrottled { get; init; }

    /// <summary>
    /// True for the one aggregated row of a terminal's throttled violations (<see cref="JournalDisposition.Throttled"/>,
    /// its counts in <see cref="Detail"/>): the ledger only journals it; nothing is applied or stored under the key.
    /// </summary>
    public bool IsViolationSummary { get; init; }

    /// <summary>
    /// For a key event the ledger only journals — new keys issued by a key exchange (<see cref="JournalDisposition.KeysIssued"/>),
    /// or pending keys made current (<see cref="JournalDisposition.KeysPromoted"/>) — how it is journaled; nothing is
    /// applied or stored under the key. <see cref="JournalDisposition.Decided"/> (the default) for every other request.
    /// Not nullable: one byte, which the record's padding holds, where a nullable would make every request bigger.
    /// </summary>
    public JournalDisposition KeyEvent { get; init; } = JournalDisposition.Decided;

    /// <summary>True for a key event (<see cref="KeyEvent"/>).</summary>
    public bool IsKeyEvent => KeyEvent is JournalDisposition.KeysIssued or JournalDisposition.KeysPromoted;

    /// <summary>What the journal row records beside the request (a key event's KCVs, an 0800's DE 70); never a key or PAN.</summary>
    public string? Detail { get; init; }

    /// <summary>
    /// What DE 35 said, when the request carried a track 2 (an 0100/0200 or its repeat); null otherwise. The card checks
    /// refuse a track that is not the card on file's, or whose CVV failed, 59 as a security event, before the PIN.
    /// </summary>
    public Track2Evidence? Track2 { get; init; }

    /// <summary>
    /// The upstream side, for a host that acquires for other issuers: on a withdrawal or balance inquiry, the intent to
    /// forward it if its card is not on file (<see cref="Acquiring.ForwardingIntent"/>); on a request of kind
    /// <see cref="TransactionKind.UpstreamStep"/>, what happened upstream. Null for everything else (one reference).
    /// </summary>
    public Acquiring.UpstreamStep? Upstream { get; init; }

    /// <summary>When the host received the request (from its <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>
    /// This request with its PIN verified again (under other keys); everything else as it was. The candidate is the one
    /// under the current TPK or, when the block does not decode under it, the one under the pending TPK: the writer
    /// verifies again because another host issued keys the session has not seen, and the terminal may use them already
    /// (a block decodes under a wrong key far less than once in a million, so it is made under the key it decodes under).
    /// </summary>
    public LedgerRequest WithPin(PinCandidates pin) => this with
    {
        CandidatePvv = pin.CandidatePvv ?? pin.PendingKeyCandidatePvv,
        PreviousKeyCandidatePvv = pin.PreviousKeyCandidatePvv,
        EncryptedPinBlock = pin.EncryptedPinBlock,
        PinKeyVersion = pin.KeyVersion,
    };

    /// <summary>Names the request by its key only: the generated record text would print the PAN and PIN data.</summary>
    public override string ToString() => $"{Kind} {Key}";
}
