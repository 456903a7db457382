namespace SocketAtm.TerminalClient.Emulator;

/// <summary>A demo card of PROTOCOL.md §13 to insert with one key press; the label says what to expect, never the PIN.</summary>
internal sealed record DemoCard(string Pan, string Label)
{
    public static IReadOnlyList<DemoCard> All { get; } =
    [
        new("4761739001010119", "1,000.00, approvals"),
        new("4761739001010127", "50.00, insufficient funds above that"),
        new("4761739001010135", "expired"),
        new("4761739001010143", "blocked"),
        new("4761739001010150", "1,000,000.00, high limits"),
    ];
}
