using SocketAtm.IssuerSim.Book;
using SocketAtm.IssuerSim.Tests.Support;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim.Tests;

public sealed class StandInAdviceTests
{
    /// <summary>A card the simulator does not issue (Luhn-valid, on its BIN).</summary>
    private const string UnknownPan = "5413330000000050";

    [Fact]
    public async Task An_advice_is_booked_once_across_its_0220_its_0221_and_a_duplicate_and_its_0230_echoes_the_key()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var standIn = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 6_000);
        var advice = Upstream.Advice(standIn);

        var first = await client.ExchangeAsync(advice);
        var repeat = await client.ExchangeAsync(Upstream.Advice(standIn, repeat: true));
        var duplicate = await client.ExchangeAsync(advice);

        Assert.All([first, repeat, duplicate], answer => Assert.Equal(MessageTypes.FinancialAdviceResponse, answer.Mti));
        foreach (var field in new[] { DataElements.Stan, DataElements.AcquirerId, DataElements.RetrievalReference, DataElements.TerminalId })
        {
            Assert.Equal(advice.GetString(field), first.GetString(field));
        }

        Assert.All([first, repeat, duplicate], answer => Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode)));
        Assert.Equal(IssuerDemoData.Rich.Balance - 6_000, simulator.Balance(IssuerDemoData.Rich.Pan));
        var line = Assert.Single(simulator.Simulator.Book());
        Assert.Equal((IssuerBookLine.StandInKind, 6_000L, string.Empty, ResponseCodes.Approved), (line.Kind, line.NetAmount, line.Response, line.AdviceResponse));
    }

    [Fact]
    public async Task A_repeated_advice_gets_the_first_answer_even_when_the_card_has_changed_since()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var pan = IssuerDemoData.Poor.Pan;
        var standIn = Upstream.Withdrawal(pan, 500);
        var first = await client.ExchangeAsync(Upstream.Advice(standIn));
        for (var attempt = 0; attempt < IssuerRules.PinTryLimit; attempt++)
        {
            await client.ExchangeAsync(Upstream.Withdrawal(pan, 100, pin: "9999"));
        }

        var repeat = await client.ExchangeAsync(Upstream.Advice(standIn, repeat: true));
        var newAdvice = await client.ExchangeAsync(Upstream.Advice(Upstream.Withdrawal(pan, 100)));

        Assert.Equal(ResponseCodes.Approved, first.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.Approved, repeat.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.PinTriesExceeded, newAdvice.GetString(DataElements.ResponseCode));
        Assert.Equal(IssuerDemoData.Poor.Balance - 600, simulator.Balance(pan));
    }

    [Theory]
    [InlineData("5413330000000027", 5_000, ResponseCodes.InsufficientFunds)]
    [InlineData("5413330000000035", 5_000, ResponseCodes.ExpiredCard)]
    [InlineData("5413330000000043", 5_000, ResponseCodes.RestrictedCard)]
    public async Task An_advice_the_issuer_would_have_declined_is_answered_its_decline_code_and_booked_all_the_same(string pan, long amount, string wouldHave)
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var opening = simulator.Balance(pan);
        var standIn = Upstream.Withdrawal(pan, amount);

        var first = await client.ExchangeAsync(Upstream.Advice(standIn));
        var repeat = await client.ExchangeAsync(Upstream.Advice(standIn, repeat: true));

        Assert.Equal(wouldHave, first.GetString(DataElements.ResponseCode));
        Assert.Equal(wouldHave, repeat.GetString(DataElements.ResponseCode));
        Assert.Equal(opening - amount, simulator.Balance(pan));
        var line = Assert.Single(simulator.Simulator.Book());
        Assert.Equal((amount, wouldHave, wouldHave), (line.NetAmount, line.AdviceResponse, line.LastResponse));
    }

    [Fact]
    public async Task An_advice_beyond_the_balance_takes_the_balance_below_zero()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);

        var answer = await client.ExchangeAsync(Upstream.Advice(Upstream.Withdrawal(IssuerDemoData.Poor.Pan, IssuerDemoData.Poor.Balance + 500)));

        Assert.Equal(ResponseCodes.InsufficientFunds, answer.GetString(DataElements.ResponseCode));
        Assert.Equal(-500, simulator.Balance(IssuerDemoData.Poor.Pan));
    }

    [Fact]
    public async Task An_advice_for_a_card_the_issuer_does_not_know_is_answered_14_booked_and_can_be_reversed()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var standIn = Upstream.Withdrawal(UnknownPan, 3_000);

        var advice = await client.ExchangeAsync(Upstream.Advice(standIn));
        var booked = Assert.Single(simulator.Simulator.Book());
        var reversal = await client.ExchangeAsync(Upstream.Reversal(standIn));

        Assert.Equal(ResponseCodes.InvalidCardNumber, advice.GetString(DataElements.ResponseCode));
        Assert.Equal((IssuerBookLine.StandInKind, 3_000L), (booked.Kind, booked.NetAmount));
        Assert.Equal(ResponseCodes.Approved, reversal.GetString(DataElements.ResponseCode));
        Assert.Equal(0, Assert.Single(simulator.Simulator.Book()).NetAmount);
    }

    [Fact]
    public async Task A_reversal_after_an_advice_reverses_it_once_and_a_later_repeat_of_the_advice_books_nothing()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var pan = IssuerDemoData.Rich.Pan;
        var standIn = Upstream.Withdrawal(pan, 10_000);
        await client.ExchangeAsync(Upstream.Advice(standIn));

        var reversal = await client.ExchangeAsync(Upstream.Reversal(standIn, dispensed: 4_000));
        var repeatedReversal = await client.ExchangeAsync(Upstream.Reversal(standIn, repeat: true));
        var repeatedAdvice = await client.ExchangeAsync(Upstream.Advice(standIn, repeat: true));

        Assert.Equal(ResponseCodes.Approved, reversal.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.Approved, repeatedReversal.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.Approved, repeatedAdvice.GetString(DataElements.ResponseCode));
        Assert.Equal(IssuerDemoData.Rich.Balance - 4_000, simulator.Balance(pan));
        var line = Assert.Single(simulator.Simulator.Book());
        Assert.Equal((IssuerBookLine.StandInKind, 4_000L, ResponseCodes.Approved, ResponseCodes.Approved), (line.Kind, line.NetAmount, line.AdviceResponse, line.ReversalResponse));
    }

    [Fact]
    public async Task An_advice_whose_reversal_came_first_moves_what_that_reversal_says_was_dispensed()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var pan = IssuerDemoData.Rich.Pan;
        var standIn = Upstream.Withdrawal(pan, 10_000);
        await client.ExchangeAsync(Upstream.Reversal(standIn, dispensed: 2_500));

        var advice = await client.ExchangeAsync(Upstream.Advice(standIn));

        Assert.Equal(ResponseCodes.Approved, advice.GetString(DataElements.ResponseCode));
        Assert.Equal(IssuerDemoData.Rich.Balance - 2_500, simulator.Balance(pan));
        var line = Assert.Single(simulator.Simulator.Book());
        Assert.Equal((IssuerBookLine.StandInKind, 2_500L), (line.Kind, line.NetAmount));
    }

    [Fact]
    public async Task An_advice_for_an_original_the_issuer_approved_is_answered_00_and_books_nothing_more()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var pan = IssuerDemoData.Poor.Pan;
        var approved = Upstream.Withdrawal(pan, 1_500);
        await client.ExchangeAsync(approved);

        var advice = await client.ExchangeAsync(Upstream.Advice(approved));

        // What is left (5.00) would not cover 15.00 again, but this advice is that very approval.
        Assert.Equal(ResponseCodes.Approved, advice.GetString(DataElements.ResponseCode));
        Assert.Equal(IssuerDemoData.Poor.Balance - 1_500, simulator.Balance(pan));
        var line = Assert.Single(simulator.Simulator.Book());
        Assert.Equal(("withdrawal", 1_500L, ResponseCodes.Approved), (line.Kind, line.NetAmount, line.AdviceResponse));
    }

    [Fact]
    public async Task A_late_original_after_its_advice_is_declined_94_and_applies_nothing()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var standIn = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 2_000);
        await client.ExchangeAsync(Upstream.Advice(standIn));

        var lateOriginal = await client.ExchangeAsync(standIn);

        Assert.Equal(ResponseCodes.DuplicateTransmission, lateOriginal.GetString(DataElements.ResponseCode));
        Assert.False(lateOriginal.Has(DataElements.AuthorizationId));
        Assert.Equal(IssuerDemoData.Rich.Balance - 2_000, simulator.Balance(IssuerDemoData.Rich.Pan));
        var line = Assert.Single(simulator.Simulator.Book());
        Assert.Equal((IssuerBookLine.StandInKind, 2_000L), (line.Kind, line.NetAmount));
    }

    [Fact]
    public async Task An_advice_for_a_declined_original_books_the_withdrawal_and_says_the_decline()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var original = Upstream.Withdrawal(IssuerDemoData.Poor.Pan, 1_000, pin: "9999");
        var declined = await client.ExchangeAsync(original);

        var advice = await client.ExchangeAsync(Upstream.Advice(original));

        Assert.Equal(ResponseCodes.IncorrectPin, declined.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.Approved, advice.GetString(DataElements.ResponseCode));
        Assert.Equal(IssuerDemoData.Poor.Balance - 1_000, simulator.Balance(IssuerDemoData.Poor.Pan));
        var line = Assert.Single(simulator.Simulator.Book());
        Assert.Equal(("withdrawal", 1_000L, ResponseCodes.IncorrectPin, ResponseCodes.Approved), (line.Kind, line.NetAmount, line.Response, line.AdviceResponse));
    }

    [Fact]
    public async Task An_advice_with_another_amount_than_its_RRNs_original_is_refused_64_and_books_nothing()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var original = Upstream.Withdrawal(IssuerDemoData.Poor.Pan, 1_000, pin: "9999");
        await client.ExchangeAsync(original);
        var advice = Upstream.Advice(original);
        advice.SetNumber(DataElements.Amount, 1_500);

        var answer = await client.ExchangeAsync(advice);

        Assert.Equal(ResponseCodes.OriginalAmountIncorrect, answer.GetString(DataElements.ResponseCode));
        Assert.Equal(IssuerDemoData.Poor.Balance, simulator.Balance(IssuerDemoData.Poor.Pan));
        Assert.Equal(string.Empty, Assert.Single(simulator.Simulator.Book()).AdviceResponse);
    }

    [Fact]
    public async Task An_advice_over_a_connection_not_signed_on_is_answered_91_and_books_nothing()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.ConnectAsync(simulator.Port);

        var answer = await client.ExchangeAsync(Upstream.Advice(Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 1_000)));

        Assert.Equal(ResponseCodes.IssuerUnavailable, answer.GetString(DataElements.ResponseCode));
        Assert.Empty(simulator.Simulator.Book());
    }
}
