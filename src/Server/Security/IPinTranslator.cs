namespace SocketAtm.Server.Security;

/// <summary>
/// Re-encrypts a terminal's PIN block (DE 52) from its PIN key to an issuer's zone PIN key, for a card the host does not
/// issue (PROTOCOL.md §15): the acquirer never verifies such a PIN, it only passes it on under a key the issuer holds.
/// An interface, so that a hardware security module can do it without the clear PIN block ever reaching the host's memory;
/// <see cref="SoftwarePinTranslator"/> does it in process, the clear block on the stack for the length of the call only.
/// </summary>
internal interface IPinTranslator
{
    /// <summary>
    /// Translates <paramref name="pinBlock"/> into <paramref name="destination"/> (8 bytes) under <paramref name="zonePinKey"/>,
    /// trying the terminal's current key, then its pending key (the terminal may have switched already), then the one it replaced.
    /// </summary>
    PinTranslation Translate(TerminalPinKeys keys, ReadOnlySpan<byte> pan, ReadOnlySpan<byte> pinBlock, ReadOnlySpan<byte> zonePinKey, Span<byte> destination);
}

/// <summary>Which of the terminal's PIN keys the block decoded under, or none.</summary>
internal enum PinTranslation
{
    /// <summary>The block is not a valid format 0 block for the PAN under any of the terminal's keys: nothing was written.</summary>
    NotDecodable,

    /// <summary>Translated from the terminal's current PIN key.</summary>
    FromCurrentKey,

    /// <summary>Translated from the pending PIN key a key exchange issued: the terminal has switched to it.</summary>
    FromPendingKey,

    /// <summary>Translated from the PIN key a key exchange replaced, while its overlap lasts.</summary>
    FromPreviousKey,
}
