namespace SocketAtm.Server.Security;

/// <summary>What <see cref="StandInPinCheck"/> could tell of the PIN a terminal sent for a card it stands in for.</summary>
internal enum StandInPinResult : byte
{
    /// <summary>The PIN gives the PVV of the card's track 2 under the issuer's PVK.</summary>
    Verified,

    /// <summary>The PIN block decodes under none of the terminal's PIN keys, or its PIN gives another PVV: declined 55.</summary>
    WrongPin,

    /// <summary>
    /// Nothing to verify against: no PVK configured, no track 2 (or not the card's), no PVV in it, no PIN block, or a
    /// PVKI other than the configured PVK's. Not the cardholder's fault, but no stand-in: declined 91.
    /// </summary>
    Unverifiable,
}
