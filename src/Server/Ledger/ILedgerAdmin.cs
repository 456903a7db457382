using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// Administration of the ledger for the admin command line and the load harness. On LiteDB every operation goes through
/// the ledger's writer, ordered with the financial requests; on PostgreSQL each runs in a transaction of its own, taking
/// the same row locks as the writer. Either way it is durable when its task completes. Bad input fails the task with
/// <see cref="ArgumentException"/> and changes nothing.
/// </summary>
internal interface ILedgerAdmin
{
    /// <summary>
    /// Registers a terminal. One already registered under the id is replaced (keys and state) only with
    /// <see cref="TerminalRegistration.ReplaceExisting"/>; otherwise <see cref="TerminalAlreadyRegisteredException"/>, and
    /// nothing changes.
    /// </summary>
    Task AddTerminalAsync(TerminalRegistration terminal, CancellationToken cancellationToken);

    /// <summary>Those of <paramref name="terminalIds"/> that are registered, in the order given (to refuse a bulk registration before it starts).</summary>
    Task<IReadOnlyList<string>> FindRegisteredTerminalsAsync(IEnumerable<string> terminalIds, CancellationToken cancellationToken);

    /// <summary>
    /// Disables a registered terminal (its messages are then answered 58, sign-on included) or enables it again; the
    /// keys are kept. This host's sessions see it at once; other hosts of a PostgreSQL database within their terminal
    /// cache's freshness (<c>Storage:TerminalCacheDuration</c>). <see cref="ArgumentException"/> when it is not registered.
    /// </summary>
    Task SetTerminalEnabledAsync(string terminalId, bool enabled, CancellationToken cancellationToken);

    /// <summary>
    /// Gives a registered terminal a new master key (TMK), keeping its state, MAC requirement and working keys (the
    /// terminal's next key exchange delivers new ones under the new TMK). <see cref="ArgumentException"/> when it is not
    /// registered or the key is not double-length.
    /// </summary>
    Task SetTerminalMasterKeyAsync(string terminalId, byte[] masterKey, CancellationToken cancellationToken);

    /// <summary>Adds cards, each with a new account, all in one transaction: all are added or none.</summary>
    Task AddCardsAsync(IReadOnlyList<CardRegistration> cards, CancellationToken cancellationToken);

    /// <summary>Sets a card's status; unblocking (to <see cref="CardStatus.Active"/>) also clears its PIN tries.</summary>
    Task SetCardStatusAsync(string pan, CardStatus status, CancellationToken cancellationToken);

    /// <summary>The card's default account balance and state, or null when the card is not on file.</summary>
    Task<CardBalance?> GetCardBalanceAsync(string pan, CancellationToken cancellationToken);

    /// <summary>The latest journal rows of a terminal, newest first (PANs masked).</summary>
    Task<IReadOnlyList<JournalRecord>> ListJournalForTerminalAsync(string terminalId, int limit, CancellationToken cancellationToken);

    /// <summary>The latest journal rows of a card, newest first (PANs masked); empty when the card is not on file.</summary>
    Task<IReadOnlyList<JournalRecord>> ListJournalForCardAsync(string pan, int limit, CancellationToken cancellationToken);

    /// <summary>Checks that every balance is its opening balance plus its journal and that no key was applied twice.</summary>
    Task<InvariantReport> VerifyInvariantsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Imports a PIN verification key under its PVKI: new cards are issued under it from then on, while cards issued
    /// under the other PVKs held keep verifying under theirs. A PVKI already holding another key is refused while cards
    /// use it, and so is the published demo PVK. This ledger verifies under the key at once; other hosts of a PostgreSQL
    /// database read the PVKs at start (restart them).
    /// </summary>
    Task ImportPinVerificationKeyAsync(PinVerificationKey key, CancellationToken cancellationToken);

    /// <summary>
    /// The PVKs held, by PVKI, with their KCVs and how many cards each verifies; a PVKI that cards name but no key is held
    /// for comes with a null KCV (those cards are answered 96).
    /// </summary>
    Task<IReadOnlyList<HeldPinVerificationKey>> ListPinVerificationKeysAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The ids of the enabled terminals that do not require MACs, in order: those a host off loopback serves only over a
    /// connection whose client certificate names them.
    /// </summary>
    Task<IReadOnlyList<string>> ListTerminalsWithoutMacAsync(CancellationToken cancellationToken);

    /// <summary>The published demo data this ledger holds (terminals recognised by their keys, the PVK, the CVK, the demo cards).</summary>
    Task<DemoDataInventory> FindDemoDataAsync(CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: deletes every terminal with a demo key, deletes the demo cards (with their accounts) that no
    /// journal row refers to and disables the others, takes the demo PVK out (replaced with a fresh random one when new
    /// cards were issued under it) and replaces the demo CVK with a fresh random one. The journal is
    /// never touched, so the invariants still hold. PINs verify under the new PVK once a ledger opens it (hosts read the
    /// PVK at start: restart those sharing a PostgreSQL database).
    /// </summary>
    Task<DemoDataRemoval> RemoveDemoDataAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the issuer's card verification key pair (CVK A then CVK B, 16 bytes), stored encrypted under the
    /// key-encryption key like the PVK. Hosts verify track 2 under it from their next start.
    /// </summary>
    Task ImportCardVerificationKeyAsync(byte[] key, CancellationToken cancellationToken);
}
