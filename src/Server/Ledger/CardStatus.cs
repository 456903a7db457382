namespace SocketAtm.Server.Ledger;

/// <summary>A card's state on file. Every state but <see cref="Active"/> declines the card.</summary>
internal enum CardStatus : byte
{
    /// <summary>Usable.</summary>
    Active,

    /// <summary>Reported lost: answered 41.</summary>
    Lost,

    /// <summary>Reported stolen: answered 43.</summary>
    Stolen,

    /// <summary>Blocked by the issuer: answered 62.</summary>
    Restricted,

    /// <summary>Blocked after too many wrong PINs: answered 75 at the PIN step.</summary>
    PinBlocked,
}
