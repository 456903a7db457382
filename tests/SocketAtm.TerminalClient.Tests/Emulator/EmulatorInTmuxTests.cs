using SocketAtm.TerminalClient.Tests.Support;

namespace SocketAtm.TerminalClient.Tests.Emulator;

/// <summary>The interactive emulator tried as a person would: in a real terminal (tmux), typing keys, reading the screen.</summary>
public sealed class EmulatorInTmuxTests
{
    [TmuxFact]
    public async Task A_person_checks_the_balance_withdraws_40_gets_a_receipt_and_leaves_with_ctrl_c()
    {
        await using var host = await InProcessHost.StartAsync();
        var emulator = Path.Combine(AppContext.BaseDirectory, "SocketAtm.TerminalClient.dll");
        Assert.True(File.Exists(emulator), $"The emulator is not next to the tests: {emulator}");
        await using var tmux = await TmuxSession.StartAsync($"dotnet '{emulator}' --port {host.Port} --terminal ATM00010; echo EMULATOR-EXITED-$?; sleep 30");

        var welcome = await tmux.WaitForAsync("Insert a card:", timeout: TimeSpan.FromSeconds(30));
        Assert.Contains("Terminal ATM00010", welcome, StringComparison.Ordinal);
        Assert.Contains("Link online", welcome, StringComparison.Ordinal);
        Assert.Contains("476173******0119", welcome, StringComparison.Ordinal);
        Assert.Contains("541333******0019  (other bank (issuer simulator), 1,000,000.00, approvals)", welcome, StringComparison.Ordinal);
        Assert.Contains("Leave the ATM", welcome, StringComparison.Ordinal);

        await tmux.SendKeysAsync("Enter");
        await tmux.WaitForAsync("Enter your PIN");
        await tmux.SendKeysAsync("1234", "Enter");
        var menu = await tmux.WaitForAsync("What would you like to do?");
        Assert.Contains("Enter your PIN (empty to cancel): ****", menu, StringComparison.Ordinal);
        Assert.DoesNotContain("1234", menu, StringComparison.Ordinal);

        await tmux.SendKeysAsync("Enter");
        var balance = await tmux.WaitForAsync("Anything else?");
        Assert.Matches(@"Available balance\s+1,000\.00", balance);

        await tmux.SendKeysAsync("Enter");
        // A question Spectre.Console has been answered disappears from the screen.
        await tmux.WaitUntilAsync(screen => screen.Contains("What would you like to do?", StringComparison.Ordinal) && !screen.Contains("Anything else?", StringComparison.Ordinal), "the menu again");
        await tmux.SendKeysAsync("Down", "Down", "Enter");
        await tmux.WaitForAsync("The dispenser:");
        await tmux.SendKeysAsync("Enter");
        var receipt = await tmux.WaitUntilAsync(screen => screen.Contains("Receipt", StringComparison.Ordinal) && screen.Contains("Anything else?", StringComparison.Ordinal), "the receipt");
        Assert.Matches(@"Amount\s+40\.00", receipt);
        Assert.Matches(@"Balance\s+960\.00", receipt);
        Assert.Matches(@"Card\s+476173\*\*\*\*\*\*0119", receipt);
        Assert.Matches(@"Terminal\s+ATM00010", receipt);
        Assert.Matches(@"Auth id\s+[0-9]{6}", receipt);
        Assert.Matches(@"RRN\s+[0-9]{12}", receipt);
        Assert.DoesNotContain("4761739001010119", receipt, StringComparison.Ordinal);

        await tmux.SendKeysAsync("C-c");
        var end = await tmux.WaitForAsync("EMULATOR-EXITED-", timeout: TimeSpan.FromSeconds(20));
        Assert.Contains("Signed off. Goodbye.", end, StringComparison.Ordinal);
        Assert.Contains("EMULATOR-EXITED-0", end, StringComparison.Ordinal);
    }
}
