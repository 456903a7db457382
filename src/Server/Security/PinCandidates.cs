namespace SocketAtm.Server.Security;

/// <summary>
/// What the ledger is told of an entered PIN: the PVVs it gives under the terminal's current, (during the overlap)
/// previous and (before the terminal first uses them) pending PIN key, the still encrypted PIN block, and the version of
/// the keys used, so that the writer can tell whether those keys are still the terminal's.
/// </summary>
/// <param name="CandidatePvv">Under the current PIN key; null when the block does not decrypt to a well-formed PIN.</param>
/// <param name="PreviousKeyCandidatePvv">Under the previous PIN key while the overlap lasts; null otherwise.</param>
/// <param name="EncryptedPinBlock">DE 52 as received, big-endian; null when it was not a PIN block's length.</param>
/// <param name="KeyVersion">The <see cref="TerminalPinKeys.Version"/> of the keys used.</param>
/// <param name="PendingKeyCandidatePvv">
/// Under the pending PIN key, when one is; null otherwise. The writer, verifying again under keys another host issued,
/// takes it when the block does not decode under the current key (<c>LedgerRequest.WithPin</c>).
/// </param>
internal readonly record struct PinCandidates(
    string? CandidatePvv, string? PreviousKeyCandidatePvv, ulong? EncryptedPinBlock, long KeyVersion, string? PendingKeyCandidatePvv = null);
