using System.Text.RegularExpressions;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Testing;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>
/// PROTOCOL.md §14 shows requests and the host's answers. Sent to the real host, a request carrying the documented
/// request's elements gets an answer carrying exactly the documented answer's elements: the examples are what an
/// integrator codes against, so they must be what the host sends.
/// </summary>
public sealed partial class DocumentedExampleTests
{
    [Fact]
    public async Task Withdrawal_and_partial_reversal_answers_carry_the_elements_of_examples_14_5_and_14_7()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var withdrawalStan = TestTerminal.NextStan();
        var withdrawal = atm.Withdrawal(10_000, withdrawalStan);
        withdrawal.Set(12, "093512");
        withdrawal.Set(13, "0314");
        withdrawal.Remove(22);
        var reversal = atm.Reversal(10_000, TestTerminal.NextStan(), withdrawalStan, dispensed: 4_000);
        reversal.Remove(49);

        Assert.Equal(DocumentedElements("14.4"), ElementsOf(withdrawal));
        Assert.Equal(DocumentedElements("14.6"), ElementsOf(reversal));
        var withdrawalAnswer = await atm.ExchangeAsync(withdrawal);
        var reversalAnswer = await atm.ExchangeAsync(reversal);

        Assert.Equal("00", withdrawalAnswer.GetString(39));
        Assert.Equal(DocumentedElements("14.5"), ElementsOf(withdrawalAnswer));
        Assert.Equal("00", reversalAnswer.GetString(39));
        Assert.Equal(DocumentedElements("14.7"), ElementsOf(reversalAnswer));
    }

    [Fact]
    public async Task A_replayed_withdrawal_is_refused_63_with_the_elements_of_example_14_10()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var dayOld = DateTime.UtcNow.AddDays(-1).ToString("MMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var replay = DemoRequests.Withdrawal(10_000, TestTerminal.NextStan(), terminalId: atm.TerminalId, transmissionDateTime: dayOld);
        replay.Remove(22);

        Assert.Equal(DocumentedElements("14.4"), ElementsOf(replay));
        var answer = await atm.ExchangeAsync(replay);

        Assert.Equal("63", answer.GetString(39));
        Assert.Equal(DocumentedElements("14.10"), ElementsOf(answer));
    }

    [Fact]
    public async Task A_withdrawal_with_track_2_is_approved_with_the_elements_of_examples_14_11_and_14_12()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var withdrawal = atm.Withdrawal(4_000, TestTerminal.NextStan());
        withdrawal.Remove(2);
        withdrawal.Remove(14);
        withdrawal.Remove(22);
        withdrawal.Set(35, DemoCards.ActiveTrack2);

        Assert.Equal(DocumentedElements("14.11"), ElementsOf(withdrawal));
        var answer = await atm.ExchangeAsync(withdrawal);

        Assert.Equal("00", answer.GetString(39));
        Assert.Equal(DocumentedElements("14.12"), ElementsOf(answer));
        Assert.Equal("2001840C0000000960002002840C000000096000", answer.GetString(54));
    }

    [Fact]
    public async Task Mac_terminal_sign_on_answer_carries_the_elements_of_example_14_2_and_its_mac()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint, "ATM00001", signOn: false);
        var signOn = atm.NetworkManagement(TestTerminal.NextStan(), "001");

        Assert.Equal(DocumentedElements("14.1"), ElementsOf(signOn));
        var answer = await atm.ExchangeAsync(signOn);

        Assert.Equal("00", answer.GetString(39));
        Assert.Equal(DocumentedElements("14.2"), ElementsOf(answer));
        Assert.True(SocketAtm.Protocol.Security.RetailMac.Verify(DemoKeys.MacKey, answer));
    }

    [Fact]
    public async Task Key_exchange_request_and_answer_carry_the_elements_of_example_14_3_and_the_answer_is_maced_under_the_current_key()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint, "ATM00001");
        var exchange = atm.NetworkManagement(TestTerminal.NextStan(), "161");

        Assert.Equal(DocumentedElements("14.3", "key-exchange-request"), ElementsOf(exchange));
        var answer = await atm.ExchangeAsync(exchange);

        Assert.Equal("00", answer.GetString(39));
        Assert.Equal(DocumentedElements("14.3", "key-exchange-response"), ElementsOf(answer));
        Assert.True(SocketAtm.Protocol.Security.RetailMac.Verify(DemoKeys.MacKey, answer));
    }

    /// <summary>
    /// The bits the example's bitmap rows list ("bits 2, 3, 4, …"), bit 1 (secondary bitmap) left out; of one generated
    /// block (<paramref name="block"/>) when the section shows two messages.
    /// </summary>
    private static SortedSet<int> DocumentedElements(string example, string? block = null)
    {
        var document = File.ReadAllText(RepositoryFiles.PathOf("PROTOCOL.md"));
        var start = document.IndexOf("### " + example + " ", StringComparison.Ordinal);
        Assert.True(start >= 0, "PROTOCOL.md has no example " + example);
        var end = document.IndexOf("\n### ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? document[start..] : document[start..end];
        if (block is not null)
        {
            var blockStart = section.IndexOf("<!-- generated:example:" + block + " -->", StringComparison.Ordinal);
            Assert.True(blockStart >= 0, $"PROTOCOL.md's example {example} has no block {block}");
            section = section[blockStart..section.IndexOf("<!-- /generated:example:" + block + " -->", blockStart, StringComparison.Ordinal)];
        }
        var bits = new SortedSet<int>();
        foreach (Match row in BitmapRow().Matches(section))
        {
            foreach (var bit in row.Groups["bits"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                bits.Add(int.Parse(bit, System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        Assert.NotEmpty(bits);
        bits.Remove(1);
        return bits;
    }

    private static SortedSet<int> ElementsOf(IsoMessage message) =>
        new(Enumerable.Range(2, 127).Where(message.Has));

    [GeneratedRegex(@"\| (Primary|Secondary) bitmap \| `[0-9A-F]{16}` \| bits? (?<bits>[0-9, ]+)")]
    private static partial Regex BitmapRow();
}
