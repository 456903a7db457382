using SocketAtm.IssuerSim.Tests.Support;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim.Tests;

public sealed class ReversalTests
{
    [Fact]
    public async Task A_reversal_restores_the_funds_once_and_every_repeat_gets_the_same_answer()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var pan = IssuerDemoData.Rich.Pan;
        var original = Upstream.Withdrawal(pan, 4_000);
        await client.ExchangeAsync(original);
        var reversal = Upstream.Reversal(original);

        var first = await client.ExchangeAsync(reversal);
        var repeat = await client.ExchangeAsync(Upstream.Reversal(original, repeat: true, stan: reversal.GetString(DataElements.Stan)));
        var another = await client.ExchangeAsync(Upstream.Reversal(original));

        Assert.Equal(MessageTypes.ReversalAdviceResponse, first.Mti);
        Assert.Equal(MessageTypes.ReversalAdviceResponse, repeat.Mti);
        foreach (var field in new[] { DataElements.TransmissionDateTime, DataElements.Stan, DataElements.AcquirerId, DataElements.RetrievalReference, DataElements.TerminalId })
        {
            Assert.Equal(reversal.GetString(field), first.GetString(field));
        }

        Assert.All([first, repeat, another], answer => Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode)));
        Assert.Equal(IssuerDemoData.Rich.Balance, simulator.Balance(pan));
        var line = Assert.Single(simulator.Simulator.Book());
        Assert.Equal((0L, "00", "00"), (line.NetAmount, line.Response, line.ReversalResponse));
    }

    [Fact]
    public async Task A_partial_reversal_restores_what_was_not_dispensed()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var pan = IssuerDemoData.Rich.Pan;
        var original = Upstream.Withdrawal(pan, 10_000);
        await client.ExchangeAsync(original);

        var answer = await client.ExchangeAsync(Upstream.Reversal(original, dispensed: 6_000));

        Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode));
        Assert.Equal(IssuerDemoData.Rich.Balance - 6_000, simulator.Balance(pan));
        Assert.Equal(6_000, Assert.Single(simulator.Simulator.Book()).NetAmount);
    }

    [Fact]
    public async Task A_reversal_whose_amount_is_not_the_originals_is_answered_64_and_restores_nothing()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var original = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 10_000);
        await client.ExchangeAsync(original);
        var reversal = Upstream.Reversal(original);
        reversal.SetNumber(DataElements.Amount, 9_000);

        var answer = await client.ExchangeAsync(reversal);

        Assert.Equal(ResponseCodes.OriginalAmountIncorrect, answer.GetString(DataElements.ResponseCode));
        Assert.Equal(IssuerDemoData.Rich.Balance - 10_000, simulator.Balance(IssuerDemoData.Rich.Pan));
    }

    [Fact]
    public async Task A_reversal_before_its_original_is_accepted_and_the_late_original_declined_94()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var pan = IssuerDemoData.Rich.Pan;
        var original = Upstream.Withdrawal(pan, 4_000);

        var reversal = await client.ExchangeAsync(Upstream.Reversal(original));
        var late = await client.ExchangeAsync(original);
        var reversalAgain = await client.ExchangeAsync(Upstream.Reversal(original));

        Assert.Equal(ResponseCodes.Approved, reversal.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.DuplicateTransmission, late.GetString(DataElements.ResponseCode));
        Assert.False(late.Has(DataElements.AuthorizationId));
        Assert.Equal(ResponseCodes.Approved, reversalAgain.GetString(DataElements.ResponseCode));
        Assert.Equal(IssuerDemoData.Rich.Balance, simulator.Balance(pan));
        var line = Assert.Single(simulator.Simulator.Book());
        Assert.Equal(("withdrawal", 0L, "94", "00"), (line.Kind, line.NetAmount, line.Response, line.ReversalResponse));
    }

    [Fact]
    public async Task A_reversal_of_a_declined_withdrawal_is_accepted_and_restores_nothing()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var original = Upstream.Withdrawal(IssuerDemoData.Poor.Pan, IssuerDemoData.Poor.Balance + 1);
        await client.ExchangeAsync(original);

        var answer = await client.ExchangeAsync(Upstream.Reversal(original));

        Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode));
        Assert.Equal(IssuerDemoData.Poor.Balance, simulator.Balance(IssuerDemoData.Poor.Pan));
    }
}
