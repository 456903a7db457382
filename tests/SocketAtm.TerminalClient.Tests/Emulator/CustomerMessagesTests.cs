using SocketAtm.Client;
using SocketAtm.TerminalClient.Emulator;

namespace SocketAtm.TerminalClient.Tests.Emulator;

public sealed class CustomerMessagesTests
{
    public static TheoryData<string> DeclineCodes() => new(ResponseCodeText.KnownCodes.Where(code => code != "00"));

    [Theory]
    [MemberData(nameof(DeclineCodes))]
    public void Every_decline_code_of_the_protocol_has_its_own_sentence(string code)
    {
        var sentence = CustomerMessages.ForDecline(code);

        Assert.DoesNotContain("code", sentence, StringComparison.Ordinal);
        Assert.EndsWith(".", sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sentences_are_all_different()
    {
        var sentences = ResponseCodeText.KnownCodes.Where(code => code != "00").Select(CustomerMessages.ForDecline).ToList();

        Assert.Equal(sentences.Count, sentences.Distinct().Count());
    }

    [Fact]
    public void An_unknown_code_is_still_a_sentence_that_names_it()
    {
        Assert.Equal("Your transaction was declined (code 07).", CustomerMessages.ForDecline("07"));
    }

    [Fact]
    public void Every_protocol_response_code_has_a_meaning()
    {
        string[] protocol = ["00", "12", "13", "14", "25", "30", "39", "41", "43", "51", "52", "53", "54", "55", "58", "59", "61", "62", "63", "65", "75", "91", "94", "96"];

        Assert.Equal(protocol.Order(), ResponseCodeText.KnownCodes.Order());
        Assert.All(protocol, code => Assert.DoesNotContain("Unknown", ResponseCodeText.Meaning(code), StringComparison.Ordinal));
    }
}
