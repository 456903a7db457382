using SocketAtm.Protocol.Masking;

namespace SocketAtm.Server.Ledger.Model;

/// <summary>
/// A card on file. The host keeps the PIN verification value, never the PIN. Immutable: a change is a new record
/// (<c>with</c>), so decisions can be computed without touching stored state.
/// </summary>
internal sealed record CardRecord
{
    /// <summary>Surrogate id; other records refer to the card by it rather than by PAN.</summary>
    public required long Id { get; init; }

    /// <summary>Primary account number. Never logged: <see cref="ToString"/> masks it.</summary>
    public required string Pan { get; init; }

    /// <summary>The 4-digit Visa PVV of the cardholder's PIN.</summary>
    public required string Pvv { get; init; }

    /// <summary>Index of the PIN verification key the PVV was computed under.</summary>
    public int Pvki { get; init; } = 1;

    /// <summary>Current state.</summary>
    public CardStatus Status { get; init; }

    /// <summary>Expiry as YYMM; the card is valid through the end of that month.</summary>
    public required string Expiry { get; init; }

    /// <summary>
    /// The 3-digit service code written on the card's track 2, which a track 2 sent with a request must carry
    /// (<see cref="DefaultServiceCode"/> for cards issued without one, and for those on file before service codes were kept).
    /// </summary>
    public string ServiceCode { get; init; } = DefaultServiceCode;

    /// <summary>Consecutive wrong PINs since the last correct one.</summary>
    public int PinTries { get; init; }

    /// <summary>Most that may be withdrawn per UTC business day, in minor units.</summary>
    public long DailyAmountLimit { get; init; }

    /// <summary>Most withdrawals per UTC business day.</summary>
    public int DailyCountLimit { get; init; }

    /// <summary>The accounts this card draws on; the first is the default (account type 00).</summary>
    public required IReadOnlyList<LinkedAccount> Accounts { get; init; }

    /// <summary>101: international interchange, normal authorization, no restrictions — a plain magnetic-stripe debit card.</summary>
    public const string DefaultServiceCode = "101";

    /// <summary>The PAN as it may appear in logs and the journal.</summary>
    public string MaskedPan => SensitiveData.MaskPan(Pan);

    /// <summary>Log-safe: the PAN is masked.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Card {Id} {MaskedPan} {Status}");
}
