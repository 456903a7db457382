using System.CommandLine;
using SocketAtm.Server.Admin;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Tests.Ledger;

namespace SocketAtm.Server.Tests.Admin;

public class LedgerAdminCommandTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(LedgerTestContext context, params string[] args)
    {
        var command = LedgerAdminCommand.Create(_ => LiteDbLedger.OpenAsync(context.Options, context.Time));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await command.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Card_added_from_the_command_line_shows_its_balance_masked()
    {
        await using var context = new LedgerTestContext();

        var added = await RunAsync(context, "card", "add", "--pan", "4000001234567899", "--pin", "2468", "--expiry", "2812", "--balance", "123456");
        var balance = await RunAsync(context, "card", "balance", "--pan", "4000001234567899");

        Assert.Equal(0, added.ExitCode);
        Assert.Equal(0, balance.ExitCode);
        Assert.Contains("400000******7899 Active", balance.Output, StringComparison.Ordinal);
        Assert.Contains("ledger 1,234.56", balance.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("4000001234567899", added.Output + balance.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bulk_add_generates_valid_cards_that_can_withdraw()
    {
        await using var context = new LedgerTestContext();

        var bulk = await RunAsync(context, "card", "bulk-add", "--count", "300", "--prefix", "52", "--pin", "1111", "--expiry", "2812", "--balance", "5000");
        var pans = LedgerAdminCommand.GeneratedPans("52", 300);
        await context.OpenAsync();
        var outcome = await context.ExecuteAsync(context.Withdrawal(pans[299], "1111", 1_000));

        Assert.Equal(0, bulk.ExitCode);
        Assert.Contains("300 cards added", bulk.Output, StringComparison.Ordinal);
        Assert.Equal("5200000000000007", pans[0]);
        Assert.Equal(ResponseCodes.Approved, outcome.ResponseCode);
    }

    [Fact]
    public async Task Journal_and_verify_report_what_happened()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000));
        await context.CloseAsync();

        var journal = await RunAsync(context, "journal", "--pan", DemoCards.Active);
        var verify = await RunAsync(context, "verify");

        Assert.Contains("476173******0119", journal.Output, StringComparison.Ordinal);
        Assert.Contains("-20.00", journal.Output, StringComparison.Ordinal);
        Assert.Contains("1 rows", journal.Output, StringComparison.Ordinal);
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("invariants hold", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_exits_with_1_and_a_message()
    {
        await using var context = new LedgerTestContext();

        var result = await RunAsync(context, "card", "add", "--pan", "12", "--pin", "2468", "--expiry", "2812");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("PAN", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Terminal_added_from_the_command_line_is_registered()
    {
        await using var context = new LedgerTestContext();

        var added = await RunAsync(context, "terminal", "add", "ATM00042", "--requires-mac");
        await context.OpenAsync();

        Assert.Equal(0, added.ExitCode);
        Assert.True((await context.Ledger.FindTerminalAsync("ATM00042", CancellationToken.None))!.RequiresMac);
    }
}
