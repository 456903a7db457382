using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.EndToEnd.Tests.Security;

/// <summary>
/// A recorded key exchange replayed over real sockets. An 0800/161 is MACed under the keys in force, which stay in force
/// until the new ones are first used, so a replay verifies: were it to issue new keys, it would replace the keys a terminal
/// has already switched to, and lock it out. The host answers a repeat of the exchange whose keys are pending with those
/// keys, refuses an exchange that is not later than the last one, and one whose DE 7 is outside the window (PROTOCOL.md §11.3).
/// </summary>
public sealed class KeyExchangeReplayTests
{
    private const string MacTerminal = "ATM00001";

    [Fact]
    public async Task A_replay_of_the_exchange_a_terminal_switched_on_gets_the_same_keys_and_after_their_use_is_refused()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint, MacTerminal, signOn: false);
        var signOn = atm.NetworkManagement(TestTerminal.NextStan(), "001");
        var exchange = atm.NetworkManagement(TestTerminal.NextStan(), "161");
        Assert.Equal("00", (await atm.ExchangeAsync(signOn)).GetString(39));
        var (pinKey, macKey) = KeysOf(await atm.ExchangeAsync(exchange));

        // An eavesdropper replays the recorded sign-on and exchange before the terminal's next request.
        IsoMessage replayed;
        await using (var attacker = await TestTerminal.ConnectAsync(host.EndPoint, MacTerminal, signOn: false))
        {
            Assert.Equal("00", (await attacker.ExchangeAsync(signOn)).GetString(39));
            replayed = await attacker.ExchangeAsync(exchange);
        }

        var underNewKeys = await WithdrawAsync(atm, pinKey, macKey);
        IsoMessage afterUse;
        await using (var attacker = await TestTerminal.ConnectAsync(host.EndPoint, MacTerminal, signOn: false))
        {
            await attacker.ExchangeAsync(signOn);
            afterUse = await attacker.ExchangeAsync(exchange);
        }

        var stillNew = await WithdrawAsync(atm, pinKey, macKey);

        Assert.Equal("00", replayed.GetString(39));
        var (replayedPinKey, replayedMacKey) = KeysOf(replayed);
        Assert.Equal(pinKey, replayedPinKey); // the same keys again, under the TMK the attacker lacks
        Assert.Equal(macKey, replayedMacKey);
        Assert.Equal("00", underNewKeys.GetString(39));
        Assert.True(RetailMac.Verify(macKey, underNewKeys));
        Assert.Equal("63", afterUse.GetString(39)); // its keys are current now: a replay of it issues nothing
        Assert.False(afterUse.Has(48));
        Assert.Equal("00", stillNew.GetString(39));
        var terminal = await TerminalAsync(host);
        Assert.Equal(macKey, terminal.MacKey);
        Assert.Null(terminal.PendingKeys);
        Assert.Single(await JournalAsync(host), row => row.Disposition == JournalDisposition.KeysIssued);
    }

    [Fact]
    public async Task An_older_exchange_replayed_after_a_newer_one_is_refused_and_the_keys_the_terminal_took_stay_pending()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint, MacTerminal);
        // The terminal's first exchange went unanswered as far as it knows; it asked again and took the second's keys.
        var first = atm.NetworkManagement(TestTerminal.NextStan(), "161");
        Assert.Equal("00", (await atm.ExchangeAsync(first)).GetString(39));
        var (pinKey, macKey) = KeysOf(await atm.ExchangeAsync(atm.NetworkManagement(TestTerminal.NextStan(), "161")));

        var replayOfFirst = await atm.ExchangeAsync(first);
        var underNewKeys = await WithdrawAsync(atm, pinKey, macKey);

        Assert.Equal("63", replayOfFirst.GetString(39));
        Assert.False(replayOfFirst.Has(48));
        Assert.Equal("00", underNewKeys.GetString(39));
        Assert.Equal(macKey, (await TerminalAsync(host)).MacKey);
        Assert.Equal(2, (await JournalAsync(host)).Count(row => row.Disposition == JournalDisposition.KeysIssued));
    }

    [Fact]
    public async Task A_replay_sent_fifty_times_is_refused_each_time_and_logged_once()
    {
        var sink = new CapturingSink();
        await using var host = await RunningHost.StartWithServicesAsync(services => services.AddSingleton<Serilog.Core.ILogEventSink>(sink));
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint, MacTerminal);
        var first = atm.NetworkManagement(TestTerminal.NextStan(), "161");
        Assert.Equal("00", (await atm.ExchangeAsync(first)).GetString(39));
        Assert.Equal("00", (await atm.ExchangeAsync(atm.NetworkManagement(TestTerminal.NextStan(), "161"))).GetString(39));

        var answers = new List<string?>();
        for (var replay = 0; replay < 50; replay++)
        {
            answers.Add((await atm.ExchangeAsync(first)).GetString(39));
        }

        Assert.Equal(Enumerable.Repeat("63", 50), answers);
        Assert.Single(sink.Lines, line => line.Contains("so it is a replay", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_exchange_whose_DE_7_is_an_hour_old_is_refused_and_issues_nothing()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint, MacTerminal);
        var anHourAgo = DateTime.UtcNow.AddHours(-1).ToString("MMddHHmmss", CultureInfo.InvariantCulture);

        var stale = await atm.ExchangeAsync(DemoRequests.NetworkManagement(MacTerminal, TestTerminal.NextStan(), "161", anHourAgo, DemoKeys.MacKey));

        Assert.Equal("63", stale.GetString(39));
        Assert.False(stale.Has(48));
        Assert.Null((await TerminalAsync(host)).PendingKeys);
        Assert.Equal("00", (await WithdrawAsync(atm, DemoKeys.PinKey, DemoKeys.MacKey)).GetString(39));
    }

    private static (byte[] PinKey, byte[] MacKey) KeysOf(IsoMessage answer)
    {
        Assert.Equal("00", answer.GetString(39));
        var pinKey = new byte[16];
        var macKey = new byte[16];
        Assert.True(KeyExchangeData.TryRead(DemoKeys.MasterKey, answer.Get(48), pinKey, macKey));
        return (pinKey, macKey);
    }

    private static async Task<IsoMessage> WithdrawAsync(TestTerminal terminal, byte[] pinKey, byte[] macKey)
    {
        var request = terminal.Withdrawal(100, TestTerminal.NextStan());
        var block = new byte[PinBlock.Length];
        PinBlock.Encrypt(pinKey, Encoding.ASCII.GetBytes(DemoCards.ActivePin), Encoding.ASCII.GetBytes(DemoCards.Active), block);
        request.Set(52, block);
        RetailMac.Sign(request, macKey);
        return await terminal.ExchangeAsync(request);
    }

    private static async Task<TerminalRecord> TerminalAsync(RunningHost host) =>
        (await host.Services.GetRequiredService<ILedger>().FindTerminalAsync(MacTerminal, CancellationToken.None))!;

    private static Task<IReadOnlyList<JournalRecord>> JournalAsync(RunningHost host) =>
        host.Services.GetRequiredService<ILedgerAdmin>().ListJournalForTerminalAsync(MacTerminal, 100, CancellationToken.None);
}
