namespace SocketAtm.Server.Security;

/// <summary>
/// The PIN keys a PIN block may have been encrypted under: the terminal's current PIN key (TPK), the one a key exchange
/// replaced while its overlap lasts, the one a key exchange issued that the terminal has not used yet, and the version
/// that names this set, so that whoever holds the result can tell whether the keys are still the terminal's.
/// </summary>
/// <param name="Current">The current PIN key, double-length.</param>
/// <param name="Previous">The replaced PIN key while it is still accepted; null otherwise.</param>
/// <param name="Pending">The PIN key a key exchange issued and the terminal has not used yet; null when none.</param>
/// <param name="Version">Counts the terminal's key changes; handed back in <see cref="PinCandidates.KeyVersion"/>.</param>
internal readonly record struct TerminalPinKeys(byte[] Current, byte[]? Previous, byte[]? Pending, long Version);
