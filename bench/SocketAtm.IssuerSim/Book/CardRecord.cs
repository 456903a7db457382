namespace SocketAtm.IssuerSim.Book;

/// <summary>One card of the issuer and its single checking account, as stored in the book.</summary>
internal sealed class CardRecord
{
    /// <summary>The PAN: the simulator keeps it in its own book, and only ever shows it masked.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>SHA-256 of the PAN and the PIN (<see cref="PinDigest"/>): the PIN itself is not stored.</summary>
    public string PinHash { get; set; } = string.Empty;

    /// <summary>YYMM.</summary>
    public string Expiry { get; set; } = string.Empty;

    /// <summary>Blocked by the issuer (declined 62).</summary>
    public bool Blocked { get; set; }

    /// <summary>Consecutive wrong PINs; at <see cref="IssuerRules.PinTryLimit"/> the card is declined 75.</summary>
    public int WrongPinTries { get; set; }

    /// <summary>ISO 4217 numeric currency of the account.</summary>
    public int Currency { get; set; }

    /// <summary>Balance in minor units (ledger and available are the same: the simulator holds no funds).</summary>
    public long Balance { get; set; }
}
