namespace SocketAtm.Protocol.Composites;

/// <summary>One block of DE 54 (<see cref="AdditionalAmounts"/>); <see cref="Amount"/> in minor units, negative for a debit.</summary>
public readonly record struct AdditionalAmount(int AccountType, int AmountType, int Currency, long Amount);
