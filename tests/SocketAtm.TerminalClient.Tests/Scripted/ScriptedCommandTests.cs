using System.Text.Json;
using SocketAtm.TerminalClient.Scripted;
using SocketAtm.TerminalClient.Tests.Support;

namespace SocketAtm.TerminalClient.Tests.Scripted;

/// <summary>The command-line face as a script uses it: output and exit code per outcome.</summary>
public sealed class ScriptedCommandTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await TerminalCommandLine.InvokeAsync(args, output, error, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static JsonElement Json(string output) => JsonDocument.Parse(output).RootElement;

    [Fact]
    public async Task Balance_prints_the_balances_and_exits_0()
    {
        await using var host = await InProcessHost.StartAsync();

        var (exitCode, output, _) = await RunAsync("balance", "--card", DemoCards.Active, "--pin", DemoCards.ActivePin, "--port", $"{host.Port}");

        Assert.Equal(ExitCodes.Approved, exitCode);
        Assert.StartsWith("Approved  balance inquiry  card 476173******0119  terminal ATM00009", output, StringComparison.Ordinal);
        Assert.Contains("available 1,000.00  ledger 1,000.00", output, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoCards.Active, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Withdraw_with_json_prints_one_object_with_auth_id_rrn_and_remaining_balance()
    {
        await using var host = await InProcessHost.StartAsync();

        var (exitCode, output, _) = await RunAsync("withdraw", "--card", DemoCards.Active, "--pin", DemoCards.ActivePin, "--amount", "40.00", "--port", $"{host.Port}", "--json");

        Assert.Equal(ExitCodes.Approved, exitCode);
        var json = Json(output);
        Assert.Equal("approved", json.GetProperty("outcome").GetString());
        Assert.Equal("00", json.GetProperty("responseCode").GetString());
        Assert.Equal(4000, json.GetProperty("amountMinor").GetInt64());
        Assert.Equal("960.00", json.GetProperty("balance").GetProperty("available").GetString());
        Assert.Matches("^[0-9]{6}$", json.GetProperty("authorizationId").GetString());
        Assert.Matches("^[0-9]{12}$", json.GetProperty("retrievalReferenceNumber").GetString());
        Assert.False(json.TryGetProperty("reversal", out _));
    }

    [Fact]
    public async Task Withdraw_with_a_partial_dispense_reports_the_partial_reversal()
    {
        await using var host = await InProcessHost.StartAsync();

        var (exitCode, output, _) = await RunAsync("withdraw", "--card", DemoCards.Active, "--pin", DemoCards.ActivePin, "--amount", "100", "--dispensed", "60.00", "--port", $"{host.Port}", "--json");
        var (_, balance, _) = await RunAsync("balance", "--card", DemoCards.Active, "--pin", DemoCards.ActivePin, "--port", $"{host.Port}", "--json");

        Assert.Equal(ExitCodes.Approved, exitCode);
        var reversal = Json(output).GetProperty("reversal");
        Assert.Equal("acknowledged", reversal.GetProperty("outcome").GetString());
        Assert.Equal("00", reversal.GetProperty("responseCode").GetString());
        Assert.Equal(6000, reversal.GetProperty("dispensedMinor").GetInt64());
        Assert.Equal(94000, Json(balance).GetProperty("balance").GetProperty("availableMinor").GetInt64());
    }

    [Fact]
    public async Task A_decline_exits_1_with_the_code_and_its_meaning()
    {
        await using var host = await InProcessHost.StartAsync();

        var (exitCode, output, _) = await RunAsync("withdraw", "--card", DemoCards.Poor, "--pin", DemoCards.PoorPin, "--amount", "60", "--port", $"{host.Port}");

        Assert.Equal(ExitCodes.Declined, exitCode);
        Assert.Contains("Declined  withdrawal 60.00  terminal ATM00009  51 Insufficient funds", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_card_given_as_its_track_2_is_sent_as_DE_35_where_the_host_requires_it_and_never_printed()
    {
        await using var host = await InProcessHost.StartAsync("--Security:AcceptRequestsWithoutTrack2=false");

        var (byTrack, output, _) = await RunAsync("withdraw", "--card", DemoCards.ActiveTrack2, "--pin", DemoCards.ActivePin, "--amount", "40", "--port", $"{host.Port}");
        var (byPan, refusal, _) = await RunAsync("balance", "--card", DemoCards.Active, "--pin", DemoCards.ActivePin, "--port", $"{host.Port}");
        var (badTrack, _, _) = await RunAsync("balance", "--card", DemoCards.Active + "=28", "--pin", DemoCards.ActivePin, "--port", $"{host.Port}");

        Assert.Equal(ExitCodes.Approved, byTrack);
        Assert.Contains("card 476173******0119", output, StringComparison.Ordinal);
        Assert.DoesNotContain("4931734", output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Declined, byPan);
        Assert.Contains("30", refusal, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failed, badTrack);
    }

    [Fact]
    public async Task Echo_exits_0()
    {
        await using var host = await InProcessHost.StartAsync();

        var (exitCode, output, _) = await RunAsync("echo", "--port", $"{host.Port}", "--terminal", "ATM00010", "--json");

        Assert.Equal(ExitCodes.Approved, exitCode);
        Assert.Equal("ATM00010", Json(output).GetProperty("terminal").GetString());
    }

    [Fact]
    public async Task An_unreachable_host_exits_2()
    {
        var closedPort = ClosedPort.Take();

        var (exitCode, output, _) = await RunAsync("balance", "--card", DemoCards.Active, "--pin", DemoCards.ActivePin, "--port", $"{closedPort}", "--timeout", "1", "--json");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Equal("failed", Json(output).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_terminal_the_host_refuses_exits_2_and_says_why()
    {
        await using var host = await InProcessHost.StartAsync();

        var (exitCode, output, _) = await RunAsync("balance", "--card", DemoCards.Active, "--pin", DemoCards.ActivePin, "--port", $"{host.Port}", "--terminal", "ATM77777", "--timeout", "2");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("the host answered 58", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("withdraw", "--card", DemoCards.Active, "--pin", "1234", "--amount", "40.001")]
    [InlineData("withdraw", "--card", DemoCards.Active, "--pin", "1234", "--amount", "40", "--dispensed", "41")]
    [InlineData("balance", "--card", DemoCards.Active)]
    [InlineData("balance", "--card", DemoCards.Active, "--pin", "1234", "--mac", "sometimes")]
    [InlineData("transfer")]
    public async Task A_wrong_command_line_exits_64_and_explains_on_stderr(params string[] args)
    {
        var (exitCode, output, error) = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Empty(output);
        Assert.NotEmpty(error);
    }

    [Fact]
    public async Task Help_lists_the_commands_and_exits_0()
    {
        var (exitCode, output, _) = await RunAsync("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("balance", output, StringComparison.Ordinal);
        Assert.Contains("withdraw", output, StringComparison.Ordinal);
        Assert.Contains("echo", output, StringComparison.Ordinal);
    }
}
