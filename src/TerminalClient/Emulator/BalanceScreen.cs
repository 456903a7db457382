namespace SocketAtm.TerminalClient.Emulator;

/// <summary>A balance inquiry's answer as shown to the customer.</summary>
internal sealed record BalanceScreen(string MaskedPan, long Available, long Ledger);
