using SocketAtm.Client;
using SocketAtm.Protocol.Masking;

namespace SocketAtm.TerminalClient.Emulator;

/// <summary>
/// A demo card of PROTOCOL.md §13 to insert with one key press, read as a card reader reads it: its published track 2
/// (with the CVV under the demo CVK), sent as DE 35. The label says what to expect, never the PIN.
/// </summary>
internal sealed record DemoCard(string Track2, string Label)
{
    public static IReadOnlyList<DemoCard> All { get; } =
    [
        new("4761739001010119=281210114931734", "1,000.00, approvals"),
        new("4761739001010127=281210115816046", "50.00, insufficient funds above that"),
        new("4761739001010135=231210118295739", "expired"),
        new("4761739001010143=281210119159682", "blocked"),
        new("4761739001010150=281210115429670", "1,000,000.00, high limits"),
    ];

    /// <summary>The card as inserted.</summary>
    public CardData Card => CardData.FromTrack2(Track2);

    /// <summary>The PAN, masked, and the label: never the track.</summary>
    public override string ToString() => $"{SensitiveData.MaskPan(Card.Pan)} ({Label})";
}
