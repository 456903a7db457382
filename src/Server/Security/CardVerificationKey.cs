namespace SocketAtm.Server.Security;

/// <summary>
/// The issuer's card verification key pair (CVK A then CVK B, 16 bytes), under which the CVV of a card's magnetic stripe
/// and the iCVV of its chip's track 2 image are computed (<see cref="CardVerificationValue"/>). Host only, like the PVK.
/// </summary>
internal sealed record CardVerificationKey(byte[] Key)
{
    /// <summary>Log-safe: never the key.</summary>
    public override string ToString() => "CVK";
}
