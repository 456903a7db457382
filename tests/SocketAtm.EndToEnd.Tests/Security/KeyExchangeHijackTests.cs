using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.EndToEnd.Tests.Security;

/// <summary>
/// Issue 14's key-exchange hijack, scripted over real sockets against the real host: someone on the network asks for a
/// MAC terminal's keys with an unMACed 0800, or replays a genuine key exchange, or a terminal's own exchanges go wrong.
/// The host hands keys to nobody who cannot MAC under the terminal's key, and no exchange — the attacker's or the
/// terminal's — ever locks the real terminal out (PROTOCOL.md §6.1, §11.3).
/// </summary>
public sealed class KeyExchangeHijackTests
{
    private const string MacTerminal = "ATM00001";
    private const string PlainTerminal = "ATM00009";

    [Fact]
    public async Task An_attackers_unmaced_sign_on_and_key_exchange_for_a_mac_terminal_get_63_and_no_keys_and_the_terminal_keeps_transacting()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint, MacTerminal);
        Assert.Equal("00", (await WithdrawAsync(atm, DemoKeys.PinKey, DemoKeys.MacKey)).GetString(39));

        await using var attacker = await TestTerminal.ConnectAsync(host.EndPoint, MacTerminal, signOn: false);
        var signOn = await attacker.ExchangeAsync(Unsigned(attacker, "001"));
        var exchanges = new[] { await attacker.ExchangeAsync(Unsigned(attacker, "161")), await attacker.ExchangeAsync(Unsigned(attacker, "161")) };

        foreach (var refusal in exchanges.Prepend(signOn))
        {
            Assert.Equal("63", refusal.GetString(39));
            Assert.False(refusal.Has(48), "keys handed to an unauthenticated 0800");
            Assert.False(refusal.Has(64) || refusal.Has(128), "the host MACed an answer to a request it could not authenticate");
        }

        var afterwards = await WithdrawAsync(atm, DemoKeys.PinKey, DemoKeys.MacKey);
        Assert.Equal("00", afterwards.GetString(39));
        Assert.True(RetailMac.Verify(DemoKeys.MacKey, afterwards));
        var terminal = await TerminalAsync(host, MacTerminal);
        Assert.Null(terminal.PendingKeys);
        Assert.Equal(DemoKeys.MacKey, terminal.MacKey);
        var rejected = (await JournalAsync(host, MacTerminal)).Where(row => row.Disposition == JournalDisposition.Rejected).ToList();
        Assert.Equal(3, rejected.Count);
        Assert.All(rejected, row => Assert.Equal(TransactionKind.NetworkManagement, row.Kind));
        Assert.Equal(2, rejected.Count(row => row.Detail == "DE 70 161"));
    }

    [Fact]
    public async Task A_replayed_genuine_key_exchange_only_leaves_pending_keys_nobody_can_read_and_the_terminal_keeps_its_keys()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint, MacTerminal, signOn: false);
        // What an eavesdropper records: the terminal's own MACed sign-on and key exchange (whose answer it then loses).
        var signOn = atm.NetworkManagement(TestTerminal.NextStan(), "001");
        var exchange = atm.NetworkManagement(TestTerminal.NextStan(), "161");
        Assert.Equal("00", (await atm.ExchangeAsync(signOn)).GetString(39));
        Assert.Equal("00", (await atm.ExchangeAsync(exchange)).GetString(39));

        await using (var attacker = await TestTerminal.ConnectAsync(host.EndPoint, MacTerminal, signOn: false))
        {
            Assert.Equal("00", (await attacker.ExchangeAsync(signOn)).GetString(39));
            for (var replay = 0; replay < 2; replay++)
            {
                var answer = await attacker.ExchangeAsync(exchange);
                Assert.Equal("00", answer.GetString(39)); // the MAC is genuine; the keys are under the TMK, which the attacker lacks
            }
        }

        var afterwards = await WithdrawAsync(atm, DemoKeys.PinKey, DemoKeys.MacKey);

        Assert.Equal("00", afterwards.GetString(39));
        Assert.True(RetailMac.Verify(DemoKeys.MacKey, afterwards));
        Assert.Equal(DemoKeys.MacKey, (await TerminalAsync(host, MacTerminal)).MacKey);
    }

    [Fact]
    public async Task Two_exchanges_by_the_terminal_never_lock_it_out_whether_it_got_their_answers_or_not()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint, MacTerminal);

        // Both answers lost, as far as the terminal knows: it stays on its keys.
        await ExchangeKeysAsync(atm, DemoKeys.MacKey);
        await ExchangeKeysAsync(atm, DemoKeys.MacKey);
        var underOldKeys = await WithdrawAsync(atm, DemoKeys.PinKey, DemoKeys.MacKey);

        // Then two answered exchanges: it takes the second's keys, never having used the first's.
        await ExchangeKeysAsync(atm, DemoKeys.MacKey);
        var (pinKey, macKey) = await ExchangeKeysAsync(atm, DemoKeys.MacKey);
        var underNewKeys = await WithdrawAsync(atm, pinKey, macKey);
        var stillNew = await WithdrawAsync(atm, pinKey, macKey);

        Assert.Equal("00", underOldKeys.GetString(39));
        Assert.True(RetailMac.Verify(DemoKeys.MacKey, underOldKeys));
        Assert.Equal("00", underNewKeys.GetString(39));
        Assert.True(RetailMac.Verify(macKey, underNewKeys));
        Assert.Equal("00", stillNew.GetString(39));
        var journal = await JournalAsync(host, MacTerminal);
        Assert.Equal(4, journal.Count(row => row.Disposition == JournalDisposition.KeysIssued));
        var promoted = Assert.Single(journal, row => row.Disposition == JournalDisposition.KeysPromoted);
        Assert.Equal($"TPK KCV {KeyCheckValue.ToHex(pinKey)}, TAK KCV {KeyCheckValue.ToHex(macKey)}", promoted.Detail);
        Assert.All(journal.Where(row => row.Detail is not null), row => Assert.DoesNotContain(Convert.ToHexString(macKey), row.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Key_exchanges_an_attacker_makes_for_a_terminal_without_macs_never_make_its_correct_pins_wrong()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint, PlainTerminal);
        await using (var attacker = await TestTerminal.ConnectAsync(host.EndPoint, PlainTerminal))
        {
            for (var exchange = 0; exchange < 3; exchange++)
            {
                Assert.Equal("00", (await attacker.ExchangeAsync(attacker.NetworkManagement(TestTerminal.NextStan(), "161"))).GetString(39));
            }
        }

        var answers = new List<string?>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            answers.Add((await WithdrawAsync(atm, DemoKeys.PinKey, macKey: null)).GetString(39));
        }

        Assert.All(answers, code => Assert.Equal("00", code));
        var balance = await host.Services.GetRequiredService<ILedgerAdmin>().GetCardBalanceAsync(DemoCards.Active, CancellationToken.None);
        Assert.Equal(0, balance!.PinTries);
        Assert.Equal(DemoKeys.PinKey, (await TerminalAsync(host, PlainTerminal)).PinKey);
    }

    [Fact]
    public async Task Key_exchanges_over_the_limit_are_answered_65_without_keys_and_change_nothing()
    {
        await using var host = await RunningHost.StartAsync(null, "--Security:KeyExchangeLimit=2", "--Security:KeyExchangeWindow=01:00:00");
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint, MacTerminal);
        await ExchangeKeysAsync(atm, DemoKeys.MacKey);
        await ExchangeKeysAsync(atm, DemoKeys.MacKey);
        var pendingBefore = (await TerminalAsync(host, MacTerminal)).PendingKeys!;

        var refused = await atm.ExchangeAsync(atm.NetworkManagement(TestTerminal.NextStan(), "161"));

        Assert.Equal("65", refused.GetString(39));
        Assert.False(refused.Has(48));
        Assert.True(RetailMac.Verify(DemoKeys.MacKey, refused)); // an authenticated request's refusal is MACed
        Assert.Equal(pendingBefore.MacKey, (await TerminalAsync(host, MacTerminal)).PendingKeys!.MacKey);
        Assert.Equal(2, (await JournalAsync(host, MacTerminal)).Count(row => row.Disposition == JournalDisposition.KeysIssued));
        Assert.Equal("00", (await WithdrawAsync(atm, DemoKeys.PinKey, DemoKeys.MacKey)).GetString(39));
    }

    private static IsoMessage Unsigned(TestTerminal terminal, string code) =>
        DemoRequests.UnsignedNetworkManagement(terminal.TerminalId, TestTerminal.NextStan(), code, TestTerminal.TransmissionDateTime);

    /// <summary>A MACed 0800/161 under <paramref name="macKey"/>; returns the keys of its answer, whose MAC is under the same key.</summary>
    private static async Task<(byte[] PinKey, byte[] MacKey)> ExchangeKeysAsync(TestTerminal terminal, byte[] macKey)
    {
        var answer = await terminal.ExchangeAsync(
            DemoRequests.NetworkManagement(terminal.TerminalId, TestTerminal.NextStan(), "161", TestTerminal.TransmissionDateTime, macKey));
        Assert.Equal("00", answer.GetString(39));
        Assert.True(RetailMac.Verify(macKey, answer));
        var pinKey = new byte[16];
        var newMacKey = new byte[16];
        Assert.True(KeyExchangeData.TryRead(DemoKeys.MasterKey, answer.Get(48), pinKey, newMacKey));
        return (pinKey, newMacKey);
    }

    /// <summary>A withdrawal of 1.00 with PIN 1234 under <paramref name="pinKey"/>, MACed under <paramref name="macKey"/> when given.</summary>
    private static async Task<IsoMessage> WithdrawAsync(TestTerminal terminal, byte[] pinKey, byte[]? macKey)
    {
        var request = terminal.Withdrawal(100, TestTerminal.NextStan());
        var block = new byte[PinBlock.Length];
        PinBlock.Encrypt(pinKey, Encoding.ASCII.GetBytes(DemoCards.ActivePin), Encoding.ASCII.GetBytes(DemoCards.Active), block);
        request.Set(52, block);
        if (macKey is not null)
        {
            RetailMac.Sign(request, macKey);
        }

        return await terminal.ExchangeAsync(request);
    }

    private static async Task<TerminalRecord> TerminalAsync(RunningHost host, string terminalId) =>
        (await host.Services.GetRequiredService<ILedger>().FindTerminalAsync(terminalId, CancellationToken.None))!;

    private static Task<IReadOnlyList<JournalRecord>> JournalAsync(RunningHost host, string terminalId) =>
        host.Services.GetRequiredService<ILedgerAdmin>().ListJournalForTerminalAsync(terminalId, 100, CancellationToken.None);
}
