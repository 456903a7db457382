namespace SocketAtm.Server.Security;

/// <summary>
/// What the ledger is told of an entered PIN: the PVVs it gives under the terminal's current and (during the overlap)
/// previous PIN key, the still encrypted PIN block, and the version of the keys used, so that the writer can tell whether
/// those keys are still the terminal's.
/// </summary>
/// <param name="CandidatePvv">Under the current PIN key; null when the block does not decrypt to a well-formed PIN.</param>
/// <param name="PreviousKeyCandidatePvv">Under the previous PIN key while the overlap lasts; null otherwise.</param>
/// <param name="EncryptedPinBlock">DE 52 as received, big-endian; null when it was not a PIN block's length.</param>
/// <param name="KeyVersion">The <see cref="TerminalPinKeys.Version"/> of the keys used.</param>
internal readonly record struct PinCandidates(string? CandidatePvv, string? PreviousKeyCandidatePvv, ulong? EncryptedPinBlock, long KeyVersion);
