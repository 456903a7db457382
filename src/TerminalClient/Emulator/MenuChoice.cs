namespace SocketAtm.TerminalClient.Emulator;

/// <summary>What the customer picked on the main menu; <see cref="Amount"/> is set for fast cash.</summary>
internal readonly record struct MenuChoice(MenuAction Action, long Amount = 0)
{
    public static MenuChoice Balance => new(MenuAction.Balance);

    public static MenuChoice OtherAmount => new(MenuAction.OtherAmount);

    public static MenuChoice Cancel => new(MenuAction.Cancel);

    public static MenuChoice FastCash(long amount) => new(MenuAction.FastCash, amount);
}
