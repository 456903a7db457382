using System.Reflection;
using System.Text.RegularExpressions;
using SocketAtm.Client;
using SocketAtm.Protocol.Vocabulary;
using SocketAtm.TerminalClient.Emulator;
using SocketAtm.Testing;

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
    public void Every_response_code_of_PROTOCOL_md_section_10_has_its_meaning_and_no_other_code_has_one()
    {
        var table = ProtocolResponseCodes();

        Assert.Contains(ResponseCodes.OriginalAmountIncorrect, table.Keys);
        Assert.Equal(table.Keys.Order(), ResponseCodeText.KnownCodes.Order());
        Assert.All(table, row => Assert.Equal(row.Value, ResponseCodeText.Meaning(row.Key)));
    }

    [Fact]
    public void Every_response_code_of_the_vocabulary_is_in_the_protocol_and_has_a_meaning()
    {
        var vocabulary = typeof(ResponseCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral)
            .Select(field => (string)field.GetRawConstantValue()!)
            .ToList();

        Assert.Equal(vocabulary.Order(), ProtocolResponseCodes().Keys.Order());
        Assert.All(vocabulary, code => Assert.DoesNotContain("Unknown", ResponseCodeText.Meaning(code), StringComparison.Ordinal));
    }

    /// <summary>The rows of PROTOCOL.md's §10 table: each code with its meaning.</summary>
    private static Dictionary<string, string> ProtocolResponseCodes()
    {
        var document = File.ReadAllText(RepositoryFiles.PathOf("PROTOCOL.md")).ReplaceLineEndings("\n");
        var start = document.IndexOf("\n## 10. Response codes\n", StringComparison.Ordinal);
        var end = document.IndexOf("\n## 11.", start, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "PROTOCOL.md has no section 10 followed by section 11");
        var rows = Regex.Matches(document[start..end], @"^\| (?<code>[0-9]{2}) \| (?<meaning>[^|]+?) \|", RegexOptions.Multiline);
        Assert.NotEmpty(rows);
        return rows.ToDictionary(row => row.Groups["code"].Value, row => row.Groups["meaning"].Value, StringComparer.Ordinal);
    }
}
