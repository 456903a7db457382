namespace SocketAtm.Server.Ledger.Model;

/// <summary>An account a card can draw on, under the account type a processing code selects it by.</summary>
internal readonly record struct LinkedAccount(AccountType Type, long AccountId);
