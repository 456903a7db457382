using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Tests.Upstream;

/// <summary>An answer that fails one of the contract's checks is Untrusted: treated as no answer, never handed out.</summary>
public class UntrustedAnswerTests
{
    private const string ZoneMacKey = "8899AABBCCDDEEFF0011223344556677";

    public static TheoryData<string, string> Faults => new()
    {
        { "pan", nameof(UntrustedReason.PanMismatch) },
        { "processing_code", nameof(UntrustedReason.ProcessingCodeMismatch) },
        { "amount", nameof(UntrustedReason.AmountMismatch) },
        { "rrn", nameof(UntrustedReason.RetrievalReferenceMismatch) },
        { "no_rrn", nameof(UntrustedReason.RetrievalReferenceMismatch) },
        { "bad_de39", nameof(UntrustedReason.BadResponseCode) },
        { "no_de39", nameof(UntrustedReason.BadResponseCode) },
        { "approval_without_de38", nameof(UntrustedReason.ApprovalWithoutAuthorizationId) },
        { "bad_mac", nameof(UntrustedReason.BadMac) },
        { "no_mac", nameof(UntrustedReason.BadMac) },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task An_answer_failing_a_check_is_untrusted(string fault, string expected)
    {
        await using var issuer = new FakeIssuer();
        var mac = Convert.FromHexString(ZoneMacKey);
        issuer.Handler = (request, connection) =>
        {
            var answer = FakeIssuer.AnswerTo(request);
            if (request.Mti == MessageTypes.FinancialRequest)
            {
                Break(answer, fault);
                if (fault != "no_mac")
                {
                    RetailMac.Sign(answer, mac);
                }

                if (fault == "bad_mac")
                {
                    answer.Set(RetailMac.FieldFor(answer), new byte[RetailMac.Length]);
                }
            }

            return connection.SendAsync(answer);
        };
        var options = LinkHarness.Options(issuer.Endpoint);
        options.ZoneMacKey = ZoneMacKey;
        await using var link = await LinkHarness.StartAsync(options);

        var reply = await link.ExchangeAsync(link.Request());

        Assert.Equal(UpstreamOutcome.Untrusted, reply.Outcome);
        Assert.Equal(expected, reply.UntrustedReason.ToString());
        Assert.Null(reply.Answer);
        Assert.True(reply.NeedsReversal);
        Assert.Equal(1, link.Status.Untrusted);
    }

    [Fact]
    public async Task A_macing_route_signs_its_request_and_trusts_a_well_formed_macced_answer()
    {
        await using var issuer = new FakeIssuer();
        var mac = Convert.FromHexString(ZoneMacKey);
        var requestMacVerified = false;
        issuer.Handler = (request, connection) =>
        {
            var answer = FakeIssuer.AnswerTo(request);
            if (request.Mti == MessageTypes.FinancialRequest)
            {
                requestMacVerified = RetailMac.Verify(mac, request);
                RetailMac.Sign(answer, mac);
            }

            return connection.SendAsync(answer);
        };
        var options = LinkHarness.Options(issuer.Endpoint);
        options.ZoneMacKey = ZoneMacKey;
        await using var link = await LinkHarness.StartAsync(options);

        var reply = await link.ExchangeAsync(link.Request());

        Assert.Equal(UpstreamOutcome.Answered, reply.Outcome);
        Assert.True(requestMacVerified);
    }

    [Fact]
    public async Task A_decline_without_de38_and_an_answer_echoing_nothing_optional_are_trusted()
    {
        await using var issuer = new FakeIssuer();
        issuer.Handler = (request, connection) =>
        {
            var answer = FakeIssuer.AnswerTo(request, request.Mti == MessageTypes.FinancialRequest ? ResponseCodes.InsufficientFunds : ResponseCodes.Approved);
            answer.Remove(DataElements.PrimaryAccountNumber);
            answer.Remove(DataElements.ProcessingCode);
            answer.Remove(DataElements.Amount);
            return connection.SendAsync(answer);
        };
        await using var link = await LinkHarness.StartAsync(LinkHarness.Options(issuer.Endpoint));

        var reply = await link.ExchangeAsync(link.Request());

        Assert.Equal(UpstreamOutcome.Answered, reply.Outcome);
        Assert.Equal(ResponseCodes.InsufficientFunds, reply.Answer!.GetString(DataElements.ResponseCode));
        Assert.Equal(1, link.Counters.Count("socketatm.upstream.answers/route=test-issuer/mti=210/response_code=51"));
    }

    private static void Break(IsoMessage answer, string fault)
    {
        switch (fault)
        {
            case "pan":
                answer.Set(DataElements.PrimaryAccountNumber, "5413330000000029");
                break;
            case "processing_code":
                answer.Set(DataElements.ProcessingCode, "310000");
                break;
            case "amount":
                answer.SetNumber(DataElements.Amount, 999_999);
                break;
            case "rrn":
                answer.Set(DataElements.RetrievalReference, "999999999999");
                break;
            case "no_rrn":
                answer.Remove(DataElements.RetrievalReference);
                break;
            case "bad_de39":
                answer.Set(DataElements.ResponseCode, "0 ");
                break;
            case "no_de39":
                answer.Remove(DataElements.ResponseCode);
                break;
            case "approval_without_de38":
                answer.Remove(DataElements.AuthorizationId);
                break;
        }
    }
}
