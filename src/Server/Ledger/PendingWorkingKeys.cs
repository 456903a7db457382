namespace SocketAtm.Server.Ledger;

/// <summary>
/// The PIN and MAC keys a key exchange issued that the terminal has not used yet. They become its current keys the first
/// time a request of the terminal's is MACed (or, for a terminal without MACs, PIN-encrypted) under them; until then the
/// current keys stay in force, so an exchange whose answer the terminal never received locks nobody out. A later exchange
/// replaces them.
/// </summary>
internal sealed record PendingWorkingKeys(byte[] PinKey, byte[] MacKey);
