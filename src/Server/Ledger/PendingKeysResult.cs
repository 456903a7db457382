namespace SocketAtm.Server.Ledger;

/// <summary>
/// What <see cref="ILedger.StorePendingKeysAsync"/> did, decided against the terminal as stored (in the transaction
/// that would store the keys): <see cref="KeyExchangeOrder.Later"/> when the keys given are pending now,
/// <see cref="KeyExchangeOrder.RepeatOfPending"/> when the exchange had already issued the keys pending in
/// <see cref="Terminal"/> (nothing stored), <see cref="KeyExchangeOrder.NotLater"/> when it was refused (nothing stored).
/// </summary>
internal sealed record PendingKeysResult(KeyExchangeOrder Order, TerminalRecord Terminal);
