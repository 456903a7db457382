using SocketAtm.Server.Admin;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.LiteDb;

namespace SocketAtm.Server.Tests.Admin;

public sealed class AdminCommandLineTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "socketatm-admin-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> _pinFiles = [];

    [Fact]
    public async Task Added_card_shows_its_opening_balance_and_the_invariants_hold()
    {
        var (code, _) = await RunAsync("add-card", "--pan", "4000001234567899", "--pin-file", PinFile("9999"), "--expiry", "3012", "--balance", "250.50");
        Assert.Equal(0, code);

        var (balanceCode, balance) = await RunAsync("balance", "--pan", "4000001234567899");
        var (verifyCode, verify) = await RunAsync("verify");

        Assert.Equal(0, balanceCode);
        Assert.Contains("400000******7899", balance, StringComparison.Ordinal);
        Assert.Contains("Ledger     250.50", balance, StringComparison.Ordinal);
        Assert.DoesNotContain("4000001234567899", balance, StringComparison.Ordinal);
        Assert.Equal(0, verifyCode);
        Assert.Contains("Invariants hold.", verify, StringComparison.Ordinal);
        Assert.Contains("Ledger: LiteDB in " + Path.GetFullPath(_data), verify, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_directory_option_works_after_the_subcommand_too()
    {
        var (code, output) = await RunWithoutDataAsync("balance", "--pan", "4761739001010119", "--data", _data);

        Assert.Equal(0, code);
        Assert.Contains("1,000.00", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bulk_added_cards_are_luhn_valid_and_can_withdraw()
    {
        var (code, output) = await RunAsync("add-cards", "--count", "300", "--prefix", "52", "--pin-file", PinFile("1111"), "--expiry", "2812", "--balance", "50.00");
        Assert.Equal(0, code);
        Assert.Contains("300 cards added", output, StringComparison.Ordinal);

        var pans = GeneratedCardNumbers.Create("52", 300);
        Assert.Equal("5200000000000007", pans[0]);
        await using var ledger = await LiteDbLedger.OpenAsync(new LedgerOptions { DataDirectory = _data }, TimeProvider.System);
        var balance = await ledger.GetCardBalanceAsync(pans[299], CancellationToken.None);
        Assert.NotNull(balance);
        Assert.Equal(5000, balance.LedgerBalance);
    }

    [Fact]
    public async Task Reported_lost_card_shows_its_new_status()
    {
        await RunAsync("set-card-status", "--pan", "4761739001010119", "--status", "Lost");

        var (_, balance) = await RunAsync("balance", "--pan", "4761739001010119");

        Assert.Contains("(Lost,", balance, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("add-card", "--pan", "4000001234567899", "--pin-file", "PIN-FILE", "--expiry", "3012", "--balance", "12.345")]
    [InlineData("journal")]
    [InlineData("add-terminals", "--count", "5", "--prefix", "ATMATMAT", "--demo-keys")]
    [InlineData("add-terminals", "--count", "100", "--prefix", "ATM0000", "--demo-keys")]
    [InlineData("add-terminals", "--count", "5", "--prefix", "ATM")]
    public async Task Bad_input_is_refused_with_exit_code_2(params string[] args)
    {
        var (code, _) = await RunAsync(args.Select(arg => arg == "PIN-FILE" ? PinFile("9999") : arg).ToArray());

        Assert.Equal(2, code);
    }

    [Fact]
    public async Task Admin_refuses_a_data_directory_held_by_a_running_ledger()
    {
        await RunAsync("verify");
        await using var running = await LiteDbLedger.OpenAsync(new LedgerOptions { DataDirectory = _data }, TimeProvider.System);

        var (code, _) = await RunAsync("verify");

        Assert.Equal(2, code);
    }

    [Fact]
    public async Task Bulk_registered_terminals_are_numbered_after_the_prefix_with_demo_keys()
    {
        var (code, output) = await RunAsync("add-terminals", "--count", "25", "--prefix", "ATM", "--first", "11", "--demo-keys", "--mac");
        Assert.Equal(0, code);
        Assert.Contains("25 terminals registered, ATM00011 to ATM00035", output, StringComparison.Ordinal);

        await using var ledger = await LiteDbLedger.OpenAsync(new LedgerOptions { DataDirectory = _data }, TimeProvider.System);
        var last = await ledger.FindTerminalAsync("ATM00035", CancellationToken.None);
        var beyond = await ledger.FindTerminalAsync("ATM00036", CancellationToken.None);

        Assert.NotNull(last);
        Assert.True(last.RequiresMac);
        Assert.Equal(Convert.FromHexString("A13F766224F292F868D54D2CFAB1683A"), last.PinKey);
        Assert.Null(beyond);
    }

    public void Dispose()
    {
        foreach (var file in _pinFiles)
        {
            File.Delete(file);
        }

        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private string PinFile(string pin)
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, pin);
        _pinFiles.Add(path);
        return path;
    }

    private Task<(int Code, string Output)> RunAsync(params string[] args) => RunWithoutDataAsync(["--data", _data, .. args]);

    private static async Task<(int Code, string Output)> RunWithoutDataAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminCommandLine.RunAsync(args, output, error);
        return (code, output.ToString());
    }
}
