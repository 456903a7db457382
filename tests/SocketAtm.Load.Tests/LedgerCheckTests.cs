using SocketAtm.Load.Correctness;
using SocketAtm.Load.Fleet;
using SocketAtm.Server.Admin;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Load.Tests;

/// <summary>The end-of-run check fails loudly when the ledger and what the terminals saw disagree.</summary>
public sealed class LedgerCheckTests : IDisposable
{
    private static readonly (DateTimeOffset, DateTimeOffset) AnyWindow = (DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow);
    private readonly string _data = Path.Combine(Path.GetTempPath(), "socketatm-load-check-" + Guid.NewGuid().ToString("N"));
    private readonly Fleet.Fleet _fleet = new(new FleetSettings { Terminals = 2, Cards = 3, OpeningBalance = 50_000 });

    [Fact]
    public async Task Untouched_fleet_holds()
    {
        await ProvisionAsync();

        var verdict = await LedgerCheck.RunAsync(new LedgerOptions { DataDirectory = _data }, new StorageOptions(), _fleet, new ExpectedLedger(3), AnyWindow, CancellationToken.None);

        Assert.True(verdict.Holds, string.Join("; ", verdict.Failures));
        Assert.Equal(3, verdict.CardsChecked);
    }

    [Fact]
    public async Task An_approval_the_ledger_does_not_hold_fails_the_check_for_that_card()
    {
        await ProvisionAsync();
        var expected = new ExpectedLedger(3);
        expected.Approved(1, 4_000);

        var verdict = await LedgerCheck.RunAsync(new LedgerOptions { DataDirectory = _data }, new StorageOptions(), _fleet, expected, AnyWindow, CancellationToken.None);

        Assert.False(verdict.Holds);
        Assert.Contains(verdict.Failures, failure => failure.StartsWith("card #1 ", StringComparison.Ordinal) && failure.Contains("46000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_answered_as_decided_but_not_journaled_fails_the_check()
    {
        await ProvisionAsync();
        var expected = new ExpectedLedger(3);
        expected.Expect(ExpectedLedger.KeyOf(_fleet.TerminalIds[0], 123, "1125090000"), decided: true);

        var verdict = await LedgerCheck.RunAsync(new LedgerOptions { DataDirectory = _data }, new StorageOptions(), _fleet, expected, AnyWindow, CancellationToken.None);

        Assert.False(verdict.Holds);
        Assert.Contains(verdict.Failures, failure => failure.Contains("journaled as decided 0 times", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unacknowledged_reversal_fails_the_check()
    {
        await ProvisionAsync();
        var expected = new ExpectedLedger(3);
        expected.Unresolve();

        var verdict = await LedgerCheck.RunAsync(new LedgerOptions { DataDirectory = _data }, new StorageOptions(), _fleet, expected, AnyWindow, CancellationToken.None);

        Assert.False(verdict.Holds);
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private async Task ProvisionAsync()
    {
        using var output = new StringWriter();
        Assert.Equal(0, await AdminCommandLine.RunAsync(["add-terminals", "--data", _data, "--count", "2", "--prefix", "ATM", "--first", "11", "--demo-keys"], output, output));
        using var pinFile = new Fixtures.OwnerOnlySecretFile("1111");
        Assert.Equal(0, await AdminCommandLine.RunAsync(["add-cards", "--data", _data, "--count", "3", "--prefix", "52", "--pin-file", pinFile.Path, "--expiry", "3012", "--balance", "500.00"], output, output));
    }
}
