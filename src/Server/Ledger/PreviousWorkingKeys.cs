namespace SocketAtm.Server.Ledger;

/// <summary>
/// A terminal's PIN and MAC keys from before its last key exchange. Messages already in flight when the keys changed
/// were made with these, so they stay valid for a short overlap (Ledger:KeyOverlap) instead of failing.
/// </summary>
internal sealed record PreviousWorkingKeys(byte[] PinKey, byte[] MacKey, DateTimeOffset ValidUntil);
