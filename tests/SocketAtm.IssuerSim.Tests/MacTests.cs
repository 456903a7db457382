using SocketAtm.IssuerSim.Tests.Support;
using SocketAtm.Protocol.Security;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim.Tests;

public sealed class MacTests
{
    private static readonly byte[] Zak = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");

    [Fact]
    public async Task With_a_ZAK_a_MACed_withdrawal_is_approved_and_its_answer_MACed()
    {
        await using var simulator = await TestSimulator.StartAsync(zak: Zak);
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);

        var answer = await client.ExchangeAsync(Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 4_000), Zak);

        Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode));
        Assert.True(RetailMac.Verify(Zak, answer));
    }

    [Fact]
    public async Task With_a_ZAK_a_reversal_is_MACed_in_DE_128()
    {
        await using var simulator = await TestSimulator.StartAsync(zak: Zak);
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var original = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 4_000);
        await client.ExchangeAsync(original, Zak);

        var answer = await client.ExchangeAsync(Upstream.Reversal(original), Zak);

        Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode));
        Assert.True(RetailMac.Verify(Zak, answer));
        Assert.Equal(IssuerDemoData.Rich.Balance, simulator.Balance(IssuerDemoData.Rich.Pan));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task With_a_ZAK_a_withdrawal_without_a_valid_MAC_is_answered_63_unsigned_and_moves_nothing(bool wrongKey)
    {
        await using var simulator = await TestSimulator.StartAsync(zak: Zak);
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);

        var answer = await client.ExchangeAsync(Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 4_000), wrongKey ? IssuerDemoData.ZonePinKey() : null);

        Assert.Equal(ResponseCodes.SecurityViolation, answer.GetString(DataElements.ResponseCode));
        Assert.False(answer.Has(DataElements.Mac));
        Assert.Equal(IssuerDemoData.Rich.Balance, simulator.Balance(IssuerDemoData.Rich.Pan));
        Assert.Empty(simulator.Simulator.Book());
    }
}
