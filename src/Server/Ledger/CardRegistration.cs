using SocketAtm.Protocol.Masking;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// A card to add, with a new account of its own. The PIN is turned into a PVV on the writer and then forgotten;
/// it is never stored. Not a record, so that nothing prints the PAN or PIN by accident.
/// </summary>
internal sealed class CardRegistration
{
    /// <summary>12–19 digits.</summary>
    public required string Pan { get; init; }

    /// <summary>4–12 digits; the PVV uses the first 4.</summary>
    public required string Pin { get; init; }

    /// <summary>YYMM.</summary>
    public required string Expiry { get; init; }

    /// <summary>The 3-digit service code on the card's track 2; 101 unless the issuer wrote another.</summary>
    public string ServiceCode { get; init; } = Model.CardRecord.DefaultServiceCode;

    public long OpeningBalance { get; init; }

    /// <summary>ISO 4217 numeric currency of the new account.</summary>
    public int Currency { get; init; } = 840;

    public AccountType AccountType { get; init; } = AccountType.Checking;

    /// <summary>Null: the ledger's default (<see cref="LedgerOptions.DefaultDailyAmountLimit"/>).</summary>
    public long? DailyAmountLimit { get; init; }

    /// <summary>Null: the ledger's default (<see cref="LedgerOptions.DefaultDailyCountLimit"/>).</summary>
    public int? DailyCountLimit { get; init; }

    public CardStatus Status { get; init; } = CardStatus.Active;

    /// <summary>Log-safe: PAN masked, no PIN.</summary>
    public override string ToString() => $"Card {SensitiveData.MaskPan(Pan)}";
}
