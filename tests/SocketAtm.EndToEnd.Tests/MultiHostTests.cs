using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Ledger;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>
/// Two real hosts on one PostgreSQL database, as behind a load balancer (same KEK, same connection string, two ports):
/// a terminal's messages may reach either, and the answers are those of one ledger.
/// </summary>
public sealed class MultiHostTests(PostgreSqlServerFixture postgres) : IClassFixture<PostgreSqlServerFixture>
{
    private const string PoorPan = "4761739001010127"; // 50.00, PIN 4321

    [PostgreSqlFact]
    public async Task Withdrawal_on_host_A_repeated_on_host_B_returns_A_stored_answer()
    {
        var (hostA, hostB) = await StartTwoHostsAsync();
        await using var _ = hostA;
        await using var __ = hostB;
        await using var atmOnA = await TestTerminal.ConnectAsync(hostA.EndPoint);
        await using var atmOnB = await TestTerminal.ConnectAsync(hostB.EndPoint);
        var stan = TestTerminal.NextStan();

        var original = await atmOnA.ExchangeAsync(atmOnA.Withdrawal(4000, stan));
        var repeat = await atmOnB.ExchangeAsync(atmOnB.Withdrawal(4000, stan, mti: 201));

        Assert.Equal("00", original.GetString(39));
        Assert.Equal("00", repeat.GetString(39));
        Assert.Equal(original.GetString(38), repeat.GetString(38));
        Assert.Equal(original.GetString(37), repeat.GetString(37));
        Assert.Equal(original.GetString(54), repeat.GetString(54));
        Assert.Equal(96_000, await BalanceAsync(hostB, TestTerminal.DemoPan));
    }

    [PostgreSqlFact]
    public async Task Concurrent_withdrawals_from_one_account_through_both_hosts_never_overdraw_and_are_journaled_once()
    {
        var (hostA, hostB) = await StartTwoHostsAsync();
        await using var _ = hostA;
        await using var __ = hostB;
        var terminals = await Task.WhenAll(Enumerable.Range(0, 8).Select(index => TestTerminal.ConnectAsync(index % 2 == 0 ? hostA.EndPoint : hostB.EndPoint)));
        try
        {
            var responses = await Task.WhenAll(terminals.Select(async atm =>
            {
                var answers = new List<IsoMessage>();
                for (var i = 0; i < 3; i++)
                {
                    answers.Add(await atm.ExchangeAsync(atm.Withdrawal(1000, TestTerminal.NextStan(), pan: PoorPan, pin: "4321")));
                }

                return answers;
            }));

            var codes = responses.SelectMany(answers => answers).Select(response => response.GetString(39)).ToList();
            Assert.Equal(5, codes.Count(code => code == "00"));
            Assert.Equal(19, codes.Count(code => code == "51"));
            Assert.Equal(0, await BalanceAsync(hostA, PoorPan));
            var admin = hostB.Services.GetRequiredService<ILedgerAdmin>();
            var journal = await admin.ListJournalForCardAsync(PoorPan, 100, CancellationToken.None);
            Assert.Equal(24, journal.Count);
            Assert.Equal(24, journal.Select(entry => entry.Key).Distinct().Count());
            Assert.True((await admin.VerifyInvariantsAsync(CancellationToken.None)).Holds);
        }
        finally
        {
            foreach (var atm in terminals)
            {
                await atm.DisposeAsync();
            }
        }
    }

    [PostgreSqlFact]
    public async Task Reversal_on_host_B_of_a_withdrawal_on_host_A_restores_funds_once()
    {
        var (hostA, hostB) = await StartTwoHostsAsync();
        await using var _ = hostA;
        await using var __ = hostB;
        await using var atmOnA = await TestTerminal.ConnectAsync(hostA.EndPoint);
        await using var atmOnB = await TestTerminal.ConnectAsync(hostB.EndPoint);
        var stan = TestTerminal.NextStan();
        var reversalStan = TestTerminal.NextStan();

        var withdrawal = await atmOnA.ExchangeAsync(atmOnA.Withdrawal(4000, stan));
        var reversal = await atmOnB.ExchangeAsync(atmOnB.Reversal(4000, reversalStan, stan));
        var repeatedOnA = await atmOnA.ExchangeAsync(atmOnA.Reversal(4000, reversalStan, stan, mti: 401));

        Assert.Equal("00", withdrawal.GetString(39));
        Assert.Equal(410, reversal.Mti);
        Assert.Equal("00", reversal.GetString(39));
        Assert.Equal("00", repeatedOnA.GetString(39));
        Assert.Equal(100_000, await BalanceAsync(hostA, TestTerminal.DemoPan));
    }

    [PostgreSqlFact]
    public async Task The_connection_string_password_appears_in_no_log_line_at_any_level()
    {
        const string Password = "Never-Log-Me-7141";
        var sink = new CapturingSink();
        var connectionString = await postgres.Server.CreateDatabaseAsync() + ";Password=" + Password; // trust auth: accepted, unused
        var data = Path.Combine(Path.GetTempPath(), "socketatm-e2e-" + Guid.NewGuid().ToString("N"));
        string[] args =
        [
            "--port", "0", "--ops-port", "0", "--data", data, "--Serilog:MinimumLevel:Default=Verbose", "--Serilog:MinimumLevel:Override:Microsoft=Verbose",
            "--Storage:Provider=PostgreSql", "--Storage:ConnectionString=" + connectionString,
        ];
        using (var host = ServerHost.Build(args, builder => builder.Services.AddSingleton<ILogEventSink>(sink)))
        {
            await host.StartAsync();
            var endPoint = host.Services.GetRequiredService<SocketAtm.Server.Transport.TerminalListener>().BoundEndPoint!;
            await using (var atm = await TestTerminal.ConnectAsync(endPoint))
            {
                Assert.Equal("00", (await atm.ExchangeAsync(atm.Withdrawal(1000, TestTerminal.NextStan()))).GetString(39));
            }

            await host.StopAsync();
        }

        Directory.Delete(data, recursive: true);
        Assert.Contains("PostgreSQL ledger opened on", sink.Everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, sink.Everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_stops_the_start_with_one_line_without_the_password()
    {
        const string Password = "Never-Log-Me-7141";
        using var host = ServerHost.Build(
        [
            "--port", "0", "--ops-port", "0", "--data", Path.Combine(Path.GetTempPath(), "socketatm-e2e-" + Guid.NewGuid().ToString("N")), "--Serilog:MinimumLevel:Default=Fatal",
            "--Storage:Provider=PostgreSql", "--Storage:ConnectionString=Host=127.0.0.1;Port=1;Database=atm;Username=atm;Timeout=2;Password=" + Password,
        ]);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.True(StartupFailure.TryDescribe(failure, out var message), failure.ToString());
        Assert.DoesNotContain('\n', message);
        Assert.Contains("127.0.0.1/atm", message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, failure.ToString(), StringComparison.Ordinal);
        Assert.True(StartupFailure.IsTransient(failure), "a database not reachable yet is worth a restart (exit code 1)");
    }

    [Fact]
    public async Task A_connection_string_that_does_not_parse_is_a_configuration_error_not_worth_a_restart()
    {
        using var host = ServerHost.Build(
        [
            "--port", "0", "--ops-port", "0", "--data", Path.Combine(Path.GetTempPath(), "socketatm-e2e-" + Guid.NewGuid().ToString("N")), "--Serilog:MinimumLevel:Default=Fatal",
            "--Storage:Provider=PostgreSql", "--Storage:ConnectionString=Hots=127.0.0.1;Databse=atm",
        ]);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.True(StartupFailure.TryDescribe(failure, out var message), failure.ToString());
        Assert.Contains("not a valid PostgreSQL connection string", message, StringComparison.Ordinal);
        Assert.False(StartupFailure.IsTransient(failure));
    }

    private async Task<(RunningHost A, RunningHost B)> StartTwoHostsAsync()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        string[] args =
        [
            "--Storage:Provider=PostgreSql",
            "--Storage:ConnectionString=" + connectionString,
            "--Ledger:KeyEncryptionKey=" + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
        ];
        var hosts = await Task.WhenAll(RunningHost.StartAsync(null, args), RunningHost.StartAsync(null, args));
        return (hosts[0], hosts[1]);
    }

    private static async Task<long> BalanceAsync(RunningHost host, string pan) =>
        (await host.Services.GetRequiredService<ILedgerAdmin>().GetCardBalanceAsync(pan, CancellationToken.None))!.LedgerBalance;
}
