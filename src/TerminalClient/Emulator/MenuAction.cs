namespace SocketAtm.TerminalClient.Emulator;

/// <summary>The entries of the main menu.</summary>
internal enum MenuAction
{
    Balance,
    FastCash,
    OtherAmount,
    Cancel,
}
