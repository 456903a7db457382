using SocketAtm.CrashTest;
using Xunit.Abstractions;

namespace SocketAtm.Reliability.Tests;

/// <summary>
/// The short crash test with two hosts on one PostgreSQL database: each round SIGKILLs one of them under load while
/// its terminals fail over to the other, repeating or reversing what they had in flight, and one round crashes the
/// database itself; the books stay exact.
/// </summary>
public sealed class MultiHostCrashTests(PostgreSqlServerFixture postgres, ITestOutputHelper output) : IClassFixture<PostgreSqlServerFixture>
{
    [PostgreSqlFact]
    public async Task Killing_one_of_two_hosts_or_the_database_under_load_loses_no_approval_and_applies_nothing_twice()
    {
        using var log = new StringWriter();
        var report = await CrashRun.RunAsync(
            new CrashTestOptions
            {
                Rounds = 5,
                Terminals = 12,
                Cards = 4,
                MaxRoundLength = TimeSpan.FromSeconds(2),
                Hosts = 2,
                ConnectionString = await postgres.Server.CreateDatabaseAsync(),
                CrashDatabaseAsync = postgres.Server.CrashAndRestartAsync,
            },
            log);
        output.WriteLine(log.ToString());

        Assert.True(report.Holds, report.ToString());
        Assert.Equal(4, report.Kills);
        Assert.Equal(1, report.DatabaseCrashes);
        Assert.True(report.Approvals > 0, "the terminals got no approval: the test proved nothing");
        Assert.True(report.ReversalsAcknowledged > 0, "no reversal was exercised");
        Assert.Contains("host a killed", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("host b killed", log.ToString(), StringComparison.Ordinal);
        Assert.True(report.TerminalsAwayFromHome > 0, "no terminal failed over to the other host");
    }
}
