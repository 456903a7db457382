using SocketAtm.IssuerSim.Tests.Support;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim.Tests;

/// <summary>Advices and reversals the simulator refuses: malformed, badly MACed, or refused on purpose by a switch. None books anything.</summary>
public sealed class AdviceRefusalTests
{
    private static readonly byte[] Zak = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");

    [Theory]
    [InlineData("no DE 38", ResponseCodes.FormatError)]
    [InlineData("no DE 90", ResponseCodes.FormatError)]
    [InlineData("no DE 4", ResponseCodes.FormatError)]
    [InlineData("DE 90 names an 0100", ResponseCodes.FormatError)]
    [InlineData("DE 39 is not 00", ResponseCodes.FormatError)]
    [InlineData("a PIN block", ResponseCodes.FormatError)]
    [InlineData("track 2", ResponseCodes.FormatError)]
    [InlineData("a balance inquiry", ResponseCodes.InvalidTransaction)]
    [InlineData("an unknown account type", ResponseCodes.InvalidTransaction)]
    public async Task A_malformed_advice_is_refused_and_books_nothing(string fault, string expected)
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var standIn = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 1_000);
        var advice = Upstream.Advice(standIn);
        Spoil(advice, fault, standIn);

        var answer = await client.ExchangeAsync(advice);

        Assert.Equal(MessageTypes.FinancialAdviceResponse, answer.Mti);
        Assert.Equal(expected, answer.GetString(DataElements.ResponseCode));
        Assert.Equal(IssuerDemoData.Rich.Balance, simulator.Balance(IssuerDemoData.Rich.Pan));
        Assert.Empty(simulator.Simulator.Book());
    }

    [Fact]
    public async Task With_a_ZAK_an_advice_is_MACed_both_ways_and_one_without_a_valid_MAC_is_answered_63_and_books_nothing()
    {
        await using var simulator = await TestSimulator.StartAsync(zak: Zak);
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var unsigned = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 1_000);
        var signed = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 2_000);

        var refused = await client.ExchangeAsync(Upstream.Advice(unsigned));
        var accepted = await client.ExchangeAsync(Upstream.Advice(signed), Zak);

        Assert.Equal(ResponseCodes.SecurityViolation, refused.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.Approved, accepted.GetString(DataElements.ResponseCode));
        Assert.True(RetailMac.Verify(Zak, accepted));
        Assert.Equal(signed.GetString(DataElements.RetrievalReference), Assert.Single(simulator.Simulator.Book()).Rrn);
    }

    [Fact]
    public async Task With_refuse_advices_every_advice_gets_that_code_and_books_nothing_while_reversals_still_apply()
    {
        await using var simulator = await TestSimulator.StartAsync(refuseAdvices: ResponseCodes.InvalidTransaction);
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var standIn = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 1_000);
        var approved = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 2_000);
        await client.ExchangeAsync(approved);

        var first = await client.ExchangeAsync(Upstream.Advice(standIn));
        var repeat = await client.ExchangeAsync(Upstream.Advice(standIn, repeat: true));
        var reversal = await client.ExchangeAsync(Upstream.Reversal(approved));

        Assert.Equal(ResponseCodes.InvalidTransaction, first.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.InvalidTransaction, repeat.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.Approved, reversal.GetString(DataElements.ResponseCode));
        Assert.Equal(IssuerDemoData.Rich.Balance, simulator.Balance(IssuerDemoData.Rich.Pan));
        Assert.Equal(approved.GetString(DataElements.RetrievalReference), Assert.Single(simulator.Simulator.Book()).Rrn);
    }

    [Fact]
    public async Task With_refuse_reversals_every_reversal_gets_that_code_and_restores_nothing_while_advices_still_book()
    {
        await using var simulator = await TestSimulator.StartAsync(refuseReversals: ResponseCodes.FormatError);
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var approved = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 2_000);
        var standIn = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 1_000);
        await client.ExchangeAsync(approved);
        await client.ExchangeAsync(Upstream.Advice(standIn));

        var reversal = await client.ExchangeAsync(Upstream.Reversal(approved));
        var repeat = await client.ExchangeAsync(Upstream.Reversal(standIn, repeat: true));

        Assert.Equal(ResponseCodes.FormatError, reversal.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.FormatError, repeat.GetString(DataElements.ResponseCode));
        Assert.Equal(IssuerDemoData.Rich.Balance - 3_000, simulator.Balance(IssuerDemoData.Rich.Pan));
        Assert.All(simulator.Simulator.Book(), line => Assert.Equal(string.Empty, line.ReversalResponse));
    }

    private static void Spoil(IsoMessage advice, string fault, IsoMessage standIn)
    {
        switch (fault)
        {
            case "no DE 38":
                advice.Remove(DataElements.AuthorizationId);
                break;
            case "no DE 90":
                advice.Remove(DataElements.OriginalDataElements);
                break;
            case "no DE 4":
                advice.Remove(DataElements.Amount);
                break;
            case "DE 90 names an 0100":
                standIn.Mti = MessageTypes.AuthorizationRequest;
                advice.Set(DataElements.OriginalDataElements, Upstream.Advice(standIn).Get(DataElements.OriginalDataElements));
                break;
            case "DE 39 is not 00":
                advice.Set(DataElements.ResponseCode, ResponseCodes.IssuerUnavailable);
                break;
            case "a PIN block":
                advice.CopyFrom(standIn, DataElements.PinBlock);
                break;
            case "track 2":
                advice.Set(DataElements.Track2, IssuerDemoData.Rich.Pan + "=30121011000000");
                break;
            case "a balance inquiry":
                advice.Set(DataElements.ProcessingCode, ProcessingCodes.Format(TransactionTypes.BalanceInquiry, 0));
                break;
            case "an unknown account type":
                advice.Set(DataElements.ProcessingCode, ProcessingCodes.Format(TransactionTypes.CashWithdrawal, 40));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "not a fault of this test");
        }
    }
}
