using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Server.Tests.Sessions;

/// <summary>
/// PROTOCOL.md §6: every answer, refusals included, echoes the elements its flow lists that the request carried, so a
/// pipelining terminal can match it; and §11.2: which of a MAC terminal's answers carry a MAC.
/// </summary>
public class EchoRulesTests
{
    [Fact]
    public async Task Format_error_in_de4_echoes_the_stan_and_terminal_read_after_it()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00009");
        var bytes = IsoMessageWriter.ToArray(DemoRequests.Withdrawal(4000, stan: 31));
        var amountAt = IndexOf(bytes, "000000004000");
        bytes[amountAt + 3] = (byte)'A';
        await host.SendRawAsync([(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes]);

        var response = await host.ReceiveAsync();

        Assert.Equal(210, response!.Mti);
        Assert.Equal("30", response.GetString(39));
        Assert.Equal("000031", response.GetString(11));
        Assert.Equal("ATM00009", response.GetString(41));
        Assert.Equal(DemoRequests.TransmissionDateTime, response.GetString(7));
        Assert.False(response.Has(4));
        Assert.Empty(host.Ledger.Requests);
    }

    [Fact]
    public async Task Unsupported_processing_code_answer_12_echoes_the_flows_elements()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00009");
        var request = DemoRequests.Withdrawal(4000, stan: 32);
        request.Set(3, "400000");
        await host.SendAsync(request);

        var response = await host.ReceiveAsync();

        Assert.Equal("12", response!.GetString(39));
        AssertEchoes(request, response, 2, 3, 4, 7, 11, 41, 49);
    }

    [Fact]
    public async Task Not_signed_on_answer_58_echoes_the_flows_elements()
    {
        await using var host = new SessionHarness();
        var request = DemoRequests.Withdrawal(4000, stan: 33);
        await host.SendAsync(request);

        var response = await host.ReceiveAsync();

        Assert.Equal("58", response!.GetString(39));
        AssertEchoes(request, response, 2, 3, 4, 7, 11, 41, 49);
    }

    [Fact]
    public async Task Network_management_answer_58_echoes_de70()
    {
        await using var host = new SessionHarness();
        var request = DemoRequests.NetworkManagement("ATM99999", 34, "001");
        await host.SendAsync(request);

        var response = await host.ReceiveAsync();

        Assert.Equal(810, response!.Mti);
        Assert.Equal("58", response.GetString(39));
        AssertEchoes(request, response, 7, 11, 41, 70);
    }

    [Fact]
    public async Task Reversal_refused_58_echoes_de90_and_de95()
    {
        await using var host = new SessionHarness();
        var request = DemoRequests.Reversal(4000, stan: 35, originalStan: 30, dispensed: 1000);
        await host.SendAsync(request);

        var response = await host.ReceiveAsync();

        Assert.Equal(410, response!.Mti);
        Assert.Equal("58", response.GetString(39));
        AssertEchoes(request, response, 2, 3, 4, 7, 11, 32, 41, 49, 90, 95);
    }

    [Fact]
    public async Task Mac_terminal_not_signed_on_gets_58_with_a_mac_under_its_current_key()
    {
        await using var host = new SessionHarness();
        var request = DemoRequests.Withdrawal(4000, stan: 36, terminalId: "ATM00001");
        RetailMac.Sign(request, FakeLedger.DemoMacKey);
        await host.SendAsync(request);

        var response = await host.ReceiveAsync();

        Assert.Equal("58", response!.GetString(39));
        Assert.True(RetailMac.Verify(FakeLedger.DemoMacKey, response));
    }

    [Fact]
    public async Task Unknown_terminal_gets_58_without_a_mac()
    {
        await using var host = new SessionHarness();
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 37, terminalId: "ATM99999"));

        var response = await host.ReceiveAsync();

        Assert.Equal("58", response!.GetString(39));
        Assert.False(response.Has(64));
    }

    [Theory]
    [InlineData("302000")]
    [InlineData("312000")]
    [InlineData("400000")]
    public async Task Reversal_with_a_processing_code_other_than_withdrawal_is_answered_12_and_never_reaches_the_ledger(string processingCode)
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00009");
        var request = DemoRequests.Reversal(4000, stan: 38, originalStan: 30);
        request.Set(3, processingCode);
        await host.SendAsync(request);

        var response = await host.ReceiveAsync();

        Assert.Equal(410, response!.Mti);
        Assert.Equal("12", response.GetString(39));
        Assert.Equal(processingCode, response.GetString(3));
        Assert.Empty(host.Ledger.Requests);
    }

    [Fact]
    public async Task Reversal_advice_with_a_balance_processing_code_is_answered_12()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host, "ATM00009");
        var request = DemoRequests.Reversal(4000, stan: 39, originalStan: 30, mti: 420);
        request.Set(3, "302000");
        await host.SendAsync(request);

        var response = await host.ReceiveAsync();

        Assert.Equal(430, response!.Mti);
        Assert.Equal("12", response.GetString(39));
        Assert.Empty(host.Ledger.Requests);
    }

    private static void AssertEchoes(IsoMessage request, IsoMessage response, params int[] fields)
    {
        foreach (var field in fields)
        {
            Assert.True(request.Has(field), $"the test's request lacks DE {field}");
            Assert.Equal(request.GetString(field), response.GetString(field));
        }
    }

    private static int IndexOf(byte[] bytes, string ascii)
    {
        var at = bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(ascii));
        Assert.True(at >= 0);
        return at;
    }

    private static async Task SignOnAsync(SessionHarness host, string terminalId)
    {
        await host.SendAsync(DemoRequests.SignOn(terminalId));
        Assert.Equal("00", (await host.ReceiveAsync())!.GetString(39));
    }
}
