using System.Security.Cryptography;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.EndToEnd.Tests.Security;

/// <summary>
/// The attack: start the host with <c>--address 0.0.0.0</c> and use the published demo terminals, keys and the
/// 1,000,000.00 card from the network. The real host process must refuse that (exit code 2, one line) — in plaintext,
/// on a fresh directory, and with a ledger that holds the demo data — unless the operator relaxes it explicitly, which
/// it then warns about at every start.
/// </summary>
public sealed class DemoDataOffLoopbackTests(PostgreSqlServerFixture postgres) : IClassFixture<PostgreSqlServerFixture>, IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "socketatm-offloopback-" + Guid.NewGuid().ToString("N")[..12]);

    // Given through the environment, as production does, so that no kek.key is written into the data directory.
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal)
    {
        ["SOCKETATM_Ledger__KeyEncryptionKey"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
    };

    private string[] OffLoopback => ["--address", "0.0.0.0", "--port", "0", "--data", _data];

    private string[] OnLoopback => ["--port", "0", "--data", _data];

    [Fact]
    public async Task A_fresh_host_on_0_0_0_0_refuses_to_start_in_plaintext_with_one_line_and_writes_nothing()
    {
        await using var host = await ServerProcess.RunAsync(OffLoopback, _environment);

        Assert.Equal(2, host.ExitCode);
        var line = Assert.Single(host.ErrorLines);
        Assert.Contains("Listener:AllowPlaintext", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_data), "a refused host created its data directory (and would have seeded it)");
    }

    [Fact]
    public async Task A_fresh_host_on_0_0_0_0_allowed_plaintext_seeds_no_demo_data_and_warns()
    {
        await using var host = ServerProcess.Start([.. OffLoopback, "--Listener:AllowPlaintext=true"], _environment);
        Assert.True(await host.ListensAsync(), string.Join('\n', host.ErrorLines));

        Assert.Equal(ResponseCodes.NotPermittedToTerminal, await SignOnAsync(host, "ATM00009"));
        Assert.Equal(ResponseCodes.NotPermittedToTerminal, await SignOnAsync(host, "ATM00001"));
        Assert.Contains("Listener:AllowPlaintext is true", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("seeded the DEMO", host.Output, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_ledger_seeded_on_loopback_is_refused_off_loopback_with_one_line_naming_Ledger_AllowDemoData()
    {
        await SeedOnLoopbackAsync();

        await using var host = await ServerProcess.RunAsync([.. OffLoopback, "--Listener:AllowPlaintext=true"], _environment);

        Assert.Equal(2, host.ExitCode);
        var line = Assert.Single(host.ErrorLines);
        Assert.Contains("Ledger:AllowDemoData", line, StringComparison.Ordinal);
        Assert.Contains("remove-demo-data", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_Ledger_AllowDemoData_the_demo_is_served_off_loopback_with_a_warning_at_every_start()
    {
        await SeedOnLoopbackAsync();

        for (var start = 0; start < 2; start++)
        {
            await using var host = ServerProcess.Start([.. OffLoopback, "--Listener:AllowPlaintext=true", "--Ledger:AllowDemoData=true"], _environment);
            Assert.True(await host.ListensAsync(), string.Join('\n', host.ErrorLines));

            Assert.Equal(ResponseCodes.Approved, await SignOnAsync(host, "ATM00009"));
            Assert.Contains("Ledger:AllowDemoData is true", host.Output, StringComparison.Ordinal);
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task After_admin_remove_demo_data_the_host_starts_off_loopback_and_the_demo_terminals_are_gone()
    {
        await SeedOnLoopbackAsync();

        await using var removal = await ServerProcess.RunAsync(["admin", "remove-demo-data", "--data", _data], _environment);
        Assert.Equal(0, removal.ExitCode);
        Assert.Contains("Invariants hold.", removal.Output, StringComparison.Ordinal);

        await using var host = ServerProcess.Start([.. OffLoopback, "--Listener:AllowPlaintext=true"], _environment);
        Assert.True(await host.ListensAsync(), string.Join('\n', host.ErrorLines));
        Assert.Equal(ResponseCodes.NotPermittedToTerminal, await SignOnAsync(host, "ATM00009"));
        Assert.DoesNotContain("Ledger:AllowDemoData", host.Output, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [PostgreSqlFact]
    public async Task A_PostgreSQL_ledger_seeded_on_loopback_is_refused_off_loopback_until_its_demo_data_is_removed()
    {
        var environment = new Dictionary<string, string>(_environment, StringComparer.Ordinal)
        {
            ["SOCKETATM_Storage__Provider"] = "PostgreSql",
            ["SOCKETATM_Storage__ConnectionString"] = await postgres.Server.CreateDatabaseAsync(),
        };
        await SeedOnLoopbackAsync(environment);

        await using var refused = await ServerProcess.RunAsync([.. OffLoopback, "--Listener:AllowPlaintext=true"], environment);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("Ledger:AllowDemoData", Assert.Single(refused.ErrorLines), StringComparison.Ordinal);

        await using var removal = await ServerProcess.RunAsync(["admin", "remove-demo-data", "--data", _data], environment);
        Assert.Equal(0, removal.ExitCode);
        await using var host = ServerProcess.Start([.. OffLoopback, "--Listener:AllowPlaintext=true"], environment);
        Assert.True(await host.ListensAsync(), string.Join('\n', host.ErrorLines));
        Assert.Equal(ResponseCodes.NotPermittedToTerminal, await SignOnAsync(host, "ATM00009"));
        await host.StopAsync();
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    /// <summary>The demo, one command away: a first start on loopback seeds the demo data, and serves it.</summary>
    private async Task SeedOnLoopbackAsync(Dictionary<string, string>? environment = null)
    {
        await using var demo = ServerProcess.Start(OnLoopback, environment ?? _environment);
        Assert.True(await demo.ListensAsync(), string.Join('\n', demo.ErrorLines));
        Assert.Equal(ResponseCodes.Approved, await SignOnAsync(demo, "ATM00009"));
        await demo.StopAsync();
        Assert.Equal(0, demo.ExitCode);
    }

    private static async Task<string?> SignOnAsync(ServerProcess host, string terminalId)
    {
        await using var terminal = await TestTerminal.ConnectAsync(host.EndPoint, terminalId, signOn: false);
        return (await terminal.ExchangeAsync(terminal.NetworkManagement(TestTerminal.NextStan(), "001"))).GetString(DataElements.ResponseCode);
    }
}
