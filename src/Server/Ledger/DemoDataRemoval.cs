namespace SocketAtm.Server.Ledger;

/// <summary>
/// What <see cref="ILedgerAdmin.RemoveDemoDataAsync"/> did. Demo cards with journal rows are disabled
/// (<see cref="CardStatus.Restricted"/>, answered 62) rather than deleted, because the journal must keep explaining
/// every balance; the others are deleted with their accounts.
/// </summary>
/// <param name="TerminalsRemoved">Ids of the terminals with a demo key that were deleted.</param>
/// <param name="CardsRemoved">Demo cards deleted with their accounts (they had no journal rows).</param>
/// <param name="CardsDisabled">Masked PANs of the demo cards kept, disabled, because the journal refers to them.</param>
/// <param name="PinVerificationKeyReplaced">True when the demo PVK was replaced with a fresh random one.</param>
/// <param name="OtherCardsUnderDemoPvk">Cards, not demo cards, whose PVV was computed under the demo PVK: their PINs no longer verify.</param>
/// <param name="CardVerificationKeyReplaced">True when the demo CVK was replaced with a fresh random one.</param>
internal sealed record DemoDataRemoval(
    IReadOnlyList<string> TerminalsRemoved,
    int CardsRemoved,
    IReadOnlyList<string> CardsDisabled,
    bool PinVerificationKeyReplaced,
    int OtherCardsUnderDemoPvk,
    bool CardVerificationKeyReplaced = false);
