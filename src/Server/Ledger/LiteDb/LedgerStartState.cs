using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>What the writer read at open for the ledger to serve from memory: the terminals, the PVK and the CVK.</summary>
internal sealed record LedgerStartState(IReadOnlyList<TerminalRecord> Terminals, PinVerificationKey PinVerificationKey, CardVerificationKey CardVerificationKey);
