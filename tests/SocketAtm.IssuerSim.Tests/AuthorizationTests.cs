using SocketAtm.IssuerSim.Tests.Support;
using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim.Tests;

public sealed class AuthorizationTests
{
    [Fact]
    public async Task A_withdrawal_with_the_right_PIN_is_approved_with_DE_38_and_DE_54_and_debited()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var pan = IssuerDemoData.Rich.Pan;
        var request = Upstream.Withdrawal(pan, 4_000);

        var answer = await client.ExchangeAsync(request);

        Assert.Equal(MessageTypes.FinancialResponse, answer.Mti);
        Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode));
        Assert.Matches("^[0-9]{6}$", answer.GetString(DataElements.AuthorizationId));
        foreach (var field in new[] { DataElements.PrimaryAccountNumber, DataElements.ProcessingCode, DataElements.Amount, DataElements.TransmissionDateTime, DataElements.Stan, DataElements.AcquirerId, DataElements.RetrievalReference, DataElements.TerminalId })
        {
            Assert.Equal(request.GetString(field), answer.GetString(field));
        }

        Assert.True(AdditionalAmounts.TryReadBlock(answer.Get(DataElements.AdditionalAmounts), 1, out var available));
        Assert.Equal(AdditionalAmounts.AvailableBalance, available.AmountType);
        Assert.Equal(IssuerDemoData.Rich.Balance - 4_000, available.Amount);
        Assert.Equal(IssuerDemoData.Rich.Balance - 4_000, simulator.Balance(pan));
        var line = Assert.Single(simulator.Simulator.Book());
        Assert.Equal(("withdrawal", 4_000L, "00"), (line.Kind, line.NetAmount, line.LastResponse));
    }

    [Fact]
    public async Task A_wrong_PIN_is_answered_55_without_DE_54_and_the_third_75()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var pan = IssuerDemoData.Rich.Pan;

        var first = await client.ExchangeAsync(Upstream.Withdrawal(pan, 4_000, pin: "9999"));
        var second = await client.ExchangeAsync(Upstream.Withdrawal(pan, 4_000, pin: "9999"));
        var third = await client.ExchangeAsync(Upstream.Withdrawal(pan, 4_000, pin: "9999"));
        var rightPinAfterwards = await client.ExchangeAsync(Upstream.Withdrawal(pan, 4_000));

        Assert.Equal(ResponseCodes.IncorrectPin, first.GetString(DataElements.ResponseCode));
        Assert.False(first.Has(DataElements.AdditionalAmounts));
        Assert.False(first.Has(DataElements.AuthorizationId));
        Assert.Equal(ResponseCodes.IncorrectPin, second.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.PinTriesExceeded, third.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.PinTriesExceeded, rightPinAfterwards.GetString(DataElements.ResponseCode));
        Assert.Equal(IssuerDemoData.Rich.Balance, simulator.Balance(pan));
    }

    [Fact]
    public async Task A_withdrawal_above_the_balance_is_declined_51_with_the_balances_unchanged()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);

        var answer = await client.ExchangeAsync(Upstream.Withdrawal(IssuerDemoData.Poor.Pan, IssuerDemoData.Poor.Balance + 1));

        Assert.Equal(ResponseCodes.InsufficientFunds, answer.GetString(DataElements.ResponseCode));
        Assert.False(answer.Has(DataElements.AuthorizationId));
        Assert.True(AdditionalAmounts.TryReadBlock(answer.Get(DataElements.AdditionalAmounts), 1, out var available));
        Assert.Equal(IssuerDemoData.Poor.Balance, available.Amount);
        Assert.Equal(IssuerDemoData.Poor.Balance, simulator.Balance(IssuerDemoData.Poor.Pan));
    }

    [Theory]
    [InlineData("5413330000000035", ResponseCodes.ExpiredCard)]
    [InlineData("5413330000000043", ResponseCodes.RestrictedCard)]
    [InlineData("5413339999999999", ResponseCodes.InvalidCardNumber)]
    public async Task A_card_that_cannot_be_used_is_declined(string pan, string expected)
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);

        var answer = await client.ExchangeAsync(Upstream.Withdrawal(pan, 1_000));

        Assert.Equal(expected, answer.GetString(DataElements.ResponseCode));
        Assert.False(answer.Has(DataElements.AdditionalAmounts));
        Assert.Equal(0, Assert.Single(simulator.Simulator.Book()).NetAmount);
    }

    [Theory]
    [InlineData(MessageTypes.AuthorizationRequest)]
    [InlineData(MessageTypes.FinancialRequest)]
    public async Task A_balance_inquiry_is_approved_with_the_balances_and_moves_nothing(int mti)
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);

        var answer = await client.ExchangeAsync(Upstream.Balance(IssuerDemoData.Poor.Pan, mti: mti));

        Assert.Equal(MessageTypes.ResponseOf(mti), answer.Mti);
        Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode));
        Assert.True(answer.Has(DataElements.AuthorizationId));
        Assert.True(AdditionalAmounts.TryReadBlock(answer.Get(DataElements.AdditionalAmounts), 0, out var ledger));
        Assert.Equal(IssuerDemoData.Poor.Balance, ledger.Amount);
        Assert.Equal("balance", Assert.Single(simulator.Simulator.Book()).Kind);
    }

    [Fact]
    public async Task A_withdrawal_sent_as_0100_is_answered_12()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var request = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 1_000);
        request.Mti = MessageTypes.AuthorizationRequest;

        var answer = await client.ExchangeAsync(request);

        Assert.Equal(ResponseCodes.InvalidTransaction, answer.GetString(DataElements.ResponseCode));
        Assert.Equal(IssuerDemoData.Rich.Balance, simulator.Balance(IssuerDemoData.Rich.Pan));
    }

    [Fact]
    public async Task A_duplicate_0200_is_answered_94_and_debits_nothing_more()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var request = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 4_000);
        await client.ExchangeAsync(request);

        var duplicate = await client.ExchangeAsync(request);

        Assert.Equal(ResponseCodes.DuplicateTransmission, duplicate.GetString(DataElements.ResponseCode));
        Assert.False(duplicate.Has(DataElements.AuthorizationId));
        Assert.Equal(IssuerDemoData.Rich.Balance - 4_000, simulator.Balance(IssuerDemoData.Rich.Pan));
        Assert.Equal("00", Assert.Single(simulator.Simulator.Book()).LastResponse);
    }

    [Fact]
    public async Task A_request_with_a_used_key_is_a_duplicate_94_whatever_its_RRN()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var request = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 4_000);
        await client.ExchangeAsync(request);
        request.Set(DataElements.RetrievalReference, Upstream.NextRrn());

        var duplicate = await client.ExchangeAsync(request);

        Assert.Equal(ResponseCodes.DuplicateTransmission, duplicate.GetString(DataElements.ResponseCode));
        Assert.Equal(IssuerDemoData.Rich.Balance - 4_000, simulator.Balance(IssuerDemoData.Rich.Pan));
        Assert.Single(simulator.Simulator.Book());
    }

    [Fact]
    public async Task Several_connections_are_served_at_once()
    {
        await using var simulator = await TestSimulator.StartAsync();
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => IssuerTestClient.SignedOnAsync(simulator.Port)));
        try
        {
            var answers = await Task.WhenAll(clients.Select(client => client.ExchangeAsync(Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 1_000))));

            Assert.All(answers, answer => Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode)));
            Assert.Equal(IssuerDemoData.Rich.Balance - 4_000, simulator.Balance(IssuerDemoData.Rich.Pan));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
