using SocketAtm.Client;
using SocketAtm.Protocol.Masking;

namespace SocketAtm.TerminalClient.Emulator;

/// <summary>
/// A demo card to insert with one key press, read as a card reader reads it: its track 2, sent as DE 35. The label says
/// what to expect, never the PIN. The host's own cards (PROTOCOL.md §13) carry their published track 2 with the CVV under
/// the demo CVK; the other bank's cards are the issuer simulator's (README.md, "The issuer simulator"), which the host
/// forwards to it over a route for BIN 541333 (on loopback, its demo route).
/// </summary>
internal sealed record DemoCard(string Track2, string Label)
{
    /// <summary>
    /// The service code and discretionary data of an other-bank card's track. For a card not on file the host checks only
    /// that DE 35 names DE 2's PAN (the issuer's CVK is not the host's to know), and the simulator checks no CVV; so the
    /// common service code 101 with a PVKI, PVV and CVV of 1, 0000 and 000 is as good as any.
    /// </summary>
    internal const string OtherBankTrackTail = "101" + "1" + "0000" + "000";

    /// <summary>The host's own demo cards: decided on-us.</summary>
    public static IReadOnlyList<DemoCard> OnUs { get; } =
    [
        new("4761739001010119=281210114931734", "1,000.00, approvals"),
        new("4761739001010127=281210115816046", "50.00, insufficient funds above that"),
        new("4761739001010135=231210118295739", "expired"),
        new("4761739001010143=281210119159682", "blocked"),
        new("4761739001010150=281210115429670", "1,000,000.00, high limits"),
    ];

    /// <summary>
    /// The issuer simulator's demo cards on BIN 541333 (PIN 1234), copied here as data because the emulator speaks only
    /// the wire contract; a test holds them to the simulator's own demo data, so they cannot drift. The track's expiry
    /// reaches the issuer as DE 14, which it checks.
    /// </summary>
    public static IReadOnlyList<DemoCard> OtherBank { get; } =
    [
        OtherBankCard("5413330000000019", "3012", "1,000,000.00, approvals"),
        OtherBankCard("5413330000000027", "3012", "20.00, insufficient funds above that"),
        OtherBankCard("5413330000000035", "2001", "expired"),
        OtherBankCard("5413330000000043", "3012", "blocked"),
    ];

    /// <summary>Every card the welcome screen offers: the host's own, then the other bank's.</summary>
    public static IReadOnlyList<DemoCard> All { get; } = [.. OnUs, .. OtherBank];

    /// <summary>The card as inserted.</summary>
    public CardData Card => CardData.FromTrack2(Track2);

    /// <summary>The PAN, masked, and the label: never the track.</summary>
    public override string ToString() => $"{SensitiveData.MaskPan(Card.Pan)} ({Label})";

    private static DemoCard OtherBankCard(string pan, string expiry, string what) =>
        new($"{pan}={expiry}{OtherBankTrackTail}", $"other bank (issuer simulator), {what}");
}
