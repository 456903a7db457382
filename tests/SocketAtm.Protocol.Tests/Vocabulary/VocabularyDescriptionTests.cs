using System.Reflection;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Protocol.Tests.Vocabulary;

/// <summary>The words the operations console puts next to codes and MTIs.</summary>
public sealed class VocabularyDescriptionTests
{
    public static TheoryData<string> EveryResponseCode()
    {
        var codes = new TheoryData<string>();
        foreach (var field in typeof(ResponseCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(field => field.IsLiteral))
        {
            codes.Add((string)field.GetRawConstantValue()!);
        }

        return codes;
    }

    [Theory]
    [MemberData(nameof(EveryResponseCode))]
    public void Every_response_code_the_host_sends_has_a_meaning(string code) =>
        Assert.NotEqual("Other", ResponseCodes.Describe(code));

    [Fact]
    public void A_code_the_host_never_sends_is_other() => Assert.Equal("Other", ResponseCodes.Describe("N7"));

    [Theory]
    [InlineData(800, true)]
    [InlineData(801, true)]
    [InlineData(820, true)]
    [InlineData(200, false)]
    [InlineData(420, false)]
    [InlineData(1800, false)]
    public void Network_management_is_the_08xx_class(int mti, bool expected) => Assert.Equal(expected, MessageTypes.IsNetworkManagement(mti));
}
