using SocketAtm.IssuerSim.Book;
using SocketAtm.IssuerSim.Tests.Support;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim.Tests;

public sealed class BookTests
{
    [Fact]
    public async Task The_book_survives_a_restart_balances_decisions_and_duplicates_included()
    {
        await using var simulator = await TestSimulator.StartAsync();
        var original = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 4_000);
        await using (var client = await IssuerTestClient.SignedOnAsync(simulator.Port))
        {
            await client.ExchangeAsync(original);
        }

        await simulator.RestartAsync();

        Assert.Equal(IssuerDemoData.Rich.Balance - 4_000, simulator.Balance(IssuerDemoData.Rich.Pan));
        await using (var client = await IssuerTestClient.SignedOnAsync(simulator.Port))
        {
            var duplicate = await client.ExchangeAsync(original);
            Assert.Equal(ResponseCodes.DuplicateTransmission, duplicate.GetString(DataElements.ResponseCode));
            var reversal = await client.ExchangeAsync(Upstream.Reversal(original));
            Assert.Equal(ResponseCodes.Approved, reversal.GetString(DataElements.ResponseCode));
        }

        await simulator.RestartAsync();

        Assert.Equal(IssuerDemoData.Rich.Balance, simulator.Balance(IssuerDemoData.Rich.Pan));
        var line = Assert.Single(simulator.Simulator.Book());
        Assert.Equal((0L, "00"), (line.NetAmount, line.ReversalResponse));
    }

    [Fact]
    public async Task A_booked_advice_survives_a_restart_and_its_repeat_after_it_books_nothing()
    {
        await using var simulator = await TestSimulator.StartAsync();
        var standIn = Upstream.Withdrawal(IssuerDemoData.Poor.Pan, 2_500);
        await using (var client = await IssuerTestClient.SignedOnAsync(simulator.Port))
        {
            Assert.Equal(ResponseCodes.InsufficientFunds, (await client.ExchangeAsync(Upstream.Advice(standIn))).GetString(DataElements.ResponseCode));
        }

        await simulator.RestartAsync();

        await using (var client = await IssuerTestClient.SignedOnAsync(simulator.Port))
        {
            var repeat = await client.ExchangeAsync(Upstream.Advice(standIn, repeat: true));
            Assert.Equal(ResponseCodes.InsufficientFunds, repeat.GetString(DataElements.ResponseCode));
        }

        Assert.Equal(IssuerDemoData.Poor.Balance - 2_500, simulator.Balance(IssuerDemoData.Poor.Pan));
        Assert.Equal(ResponseCodes.InsufficientFunds, Assert.Single(simulator.Simulator.Book()).AdviceResponse);
    }

    [Fact]
    public async Task The_book_command_prints_one_tab_separated_line_per_RRN_with_the_PAN_masked_and_stand_in_advices_marked()
    {
        var simulator = await TestSimulator.StartAsync();
        string rich;
        string poor;
        await using (simulator)
        {
            await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
            var withdrawal = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 10_000, rrn: "000000000001");
            await client.ExchangeAsync(withdrawal);
            await client.ExchangeAsync(Upstream.Reversal(withdrawal, dispensed: 2_500));
            await client.ExchangeAsync(Upstream.Withdrawal(IssuerDemoData.Poor.Pan, 1_000_000, rrn: "000000000002"));
            await client.ExchangeAsync(Upstream.Advice(Upstream.Withdrawal(IssuerDemoData.Poor.Pan, 3_000, rrn: "000000000003")));
            rich = IssuerDemoData.Rich.Pan;
            poor = IssuerDemoData.Poor.Pan;

            // Stop the simulator but keep its directory: the book command reads a stopped simulator's book.
            await simulator.Simulator.DisposeAsync();
            var output = new StringWriter();

            var exit = await IssuerCommandLine.InvokeAsync(["book", "--data", simulator.Directory], output, TextWriter.Null, CancellationToken.None);

            Assert.Equal(0, exit);
            var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(
                [
                    BookReport.Header,
                    "12345\t000000000001\t541333******0019\twithdrawal\t10000\t2500\t00\t00\t00\t",
                    "12345\t000000000002\t541333******0027\twithdrawal\t1000000\t0\t51\t\t51\t",
                    "12345\t000000000003\t541333******0027\tstand-in\t3000\t3000\t\t\t51\t51",
                ],
                lines);
            Assert.DoesNotContain(rich, output.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(poor, output.ToString(), StringComparison.Ordinal);

            var json = new StringWriter();
            Assert.Equal(0, await IssuerCommandLine.InvokeAsync(["book", "--data", simulator.Directory, "--json"], json, TextWriter.Null, CancellationToken.None));
            Assert.Contains("\"rrn\":\"000000000001\",\"maskedPan\":\"541333******0019\",\"kind\":\"withdrawal\",\"amount\":10000,\"netAmount\":2500", json.ToString(), StringComparison.Ordinal);
            Assert.Contains("\"kind\":\"stand-in\",\"amount\":3000,\"netAmount\":3000,\"response\":\"\",\"reversalResponse\":\"\",\"lastResponse\":\"51\",\"adviceResponse\":\"51\"", json.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_book_command_without_a_book_says_so()
    {
        var error = new StringWriter();

        var exit = await IssuerCommandLine.InvokeAsync(["book", "--data", Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))], TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(IssuerCommandLine.Usage, exit);
        Assert.Contains("no book", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_demo_cards_are_Luhn_valid_on_BIN_541333_and_cover_each_outcome()
    {
        Assert.All(IssuerDemoData.Cards, card =>
        {
            Assert.StartsWith(IssuerDemoData.Bin, card.Pan, StringComparison.Ordinal);
            Assert.True(IsLuhnValid(card.Pan), card.Pan);
        });
        Assert.Contains(IssuerDemoData.Cards, card => card.Blocked);
        Assert.True(IssuerDemoData.Rich.Balance > 1_000_000 && IssuerDemoData.Poor.Balance < 10_000);
    }

    private static bool IsLuhnValid(string pan)
    {
        var sum = 0;
        for (var i = 0; i < pan.Length; i++)
        {
            var digit = pan[pan.Length - 1 - i] - '0';
            sum += i % 2 == 0 ? digit : digit * 2 > 9 ? (digit * 2) - 9 : digit * 2;
        }

        return sum % 10 == 0;
    }
}
