namespace SocketAtm.Server.Ledger;

/// <summary>What the admin sees of a card: its default account's balances, its state and today's usage.</summary>
internal sealed record CardBalance
{
    public required string MaskedPan { get; init; }

    public required CardStatus Status { get; init; }

    public required int PinTries { get; init; }

    public required string Expiry { get; init; }

    public required long AccountId { get; init; }

    public required AccountType AccountType { get; init; }

    public required int Currency { get; init; }

    public required long LedgerBalance { get; init; }

    public required long AvailableBalance { get; init; }

    /// <summary>Withdrawn today (UTC business day), net of reversals.</summary>
    public required long UsedToday { get; init; }

    public required int WithdrawalsToday { get; init; }

    public required long DailyAmountLimit { get; init; }

    public required int DailyCountLimit { get; init; }
}
