namespace SocketAtm.Server.Ledger;

/// <summary>What <see cref="ILedger.PromotePendingKeysAsync"/> found and did.</summary>
/// <param name="Terminal">The terminal as stored afterwards.</param>
/// <param name="Promoted">
/// True when this call made the keys current; false when they already were (another host or request got there first) or
/// are no longer the terminal's pending keys (a later exchange replaced them).
/// </param>
internal readonly record struct KeyPromotion(TerminalRecord Terminal, bool Promoted)
{
    /// <summary>True when the keys asked about are the terminal's current keys now, whoever promoted them.</summary>
    public bool AreCurrent(byte[] pinKey, byte[] macKey) => Terminal.HasWorkingKeys(pinKey, macKey);
}
