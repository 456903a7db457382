using SocketAtm.Client;
using SocketAtm.Reliability.Tests.Support;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Reliability.Tests;

/// <summary>A wrong MAC is answered 63, journaled as a security event, and moves no money.</summary>
public sealed class SecurityJournalTests
{
    [Fact]
    public async Task A_withdrawal_with_a_wrong_mac_is_answered_63_journaled_and_applies_nothing()
    {
        await using var host = await RunningHost.StartAsync();
        await using (var atm = await AtmTerminalClient.ConnectAsync(
            new TerminalConnectionOptions { Port = host.EndPoint.Port },
            new TerminalClientOptions
            {
                TerminalId = "ATM00001",
                UseMac = true,
                Keys = new TerminalKeys(
                    Convert.FromHexString("F72E4C31320DC7AA66EAEAB7FAA58FAD"),
                    Convert.FromHexString("A13F766224F292F868D54D2CFAB1683A"),
                    Convert.FromHexString("00112233445566778899AABBCCDDEEFF")), // not the terminal's MAC key
                RequestTimeout = TimeSpan.FromSeconds(3),
            }))
        {
            var result = await atm.WithdrawAsync("4761739001010119", "1234", 4_000);

            // The host MACs its 63 under the real key, which this terminal cannot verify: to it, no valid answer came.
            Assert.IsNotType<TransactionApproved>(result);
        }

        await host.StopAsync();
        var (balance, invariants) = await Books.ReadAsync(host.DataDirectory, "4761739001010119");

        Assert.True(invariants.Holds, string.Join("; ", invariants.Violations));
        Assert.Equal(100_000, balance);
        Assert.True(await Books.CountWithAsync(host.DataDirectory, "ATM00001", JournalDisposition.Rejected, "63") >= 1);
    }
}
