using SocketAtm.IssuerSim.Tests.Support;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim.Tests;

public sealed class NetworkManagementTests
{
    [Theory]
    [InlineData(NetworkManagementCodes.SignOn)]
    [InlineData(NetworkManagementCodes.Echo)]
    [InlineData(NetworkManagementCodes.SignOff)]
    public async Task An_0800_is_answered_0810_00_echoing_DE_7_11_32_and_70(int code)
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.ConnectAsync(simulator.Port);
        var request = Upstream.NetworkManagement(code);

        var answer = await client.ExchangeAsync(request);

        Assert.Equal(MessageTypes.NetworkManagementResponse, answer.Mti);
        Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode));
        foreach (var field in new[] { DataElements.TransmissionDateTime, DataElements.Stan, DataElements.AcquirerId, DataElements.NetworkManagementCode })
        {
            Assert.Equal(request.GetString(field), answer.GetString(field));
        }
    }

    [Fact]
    public async Task A_key_exchange_is_not_part_of_the_contract_and_is_answered_12()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.ConnectAsync(simulator.Port);

        var answer = await client.ExchangeAsync(Upstream.NetworkManagement(NetworkManagementCodes.KeyExchange));

        Assert.Equal(ResponseCodes.InvalidTransaction, answer.GetString(DataElements.ResponseCode));
    }

    [Fact]
    public async Task A_withdrawal_before_sign_on_is_answered_91_and_moves_nothing()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.ConnectAsync(simulator.Port);
        var before = simulator.Balance(IssuerDemoData.Rich.Pan);

        var answer = await client.ExchangeAsync(Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 4_000));

        Assert.Equal(ResponseCodes.IssuerUnavailable, answer.GetString(DataElements.ResponseCode));
        Assert.Equal(before, simulator.Balance(IssuerDemoData.Rich.Pan));
        Assert.Empty(simulator.Simulator.Book());
    }

    [Fact]
    public async Task After_sign_off_the_connection_carries_no_financial_traffic()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        await client.ExchangeAsync(Upstream.NetworkManagement(NetworkManagementCodes.SignOff));

        var answer = await client.ExchangeAsync(Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 4_000));

        Assert.Equal(ResponseCodes.IssuerUnavailable, answer.GetString(DataElements.ResponseCode));
    }
}
