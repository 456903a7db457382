namespace SocketAtm.Client;

/// <summary>The balances of DE 54, in minor units (negative for a debit balance).</summary>
/// <param name="Ledger">Amount type 01, the ledger balance.</param>
/// <param name="Available">Amount type 02, the available balance.</param>
/// <param name="CurrencyCode">ISO 4217 numeric currency of both amounts.</param>
public sealed record AccountBalance(long Ledger, long Available, int CurrencyCode);
