using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Masking;
using SocketAtm.Protocol.Tests.Support;

namespace SocketAtm.Protocol.Tests.Masking;

/// <summary>Log lines may show at most the first 6 and last 4 digits of a PAN, and never track 2, PIN blocks or MACs.</summary>
public class SensitiveDataTests
{
    [Theory]
    [InlineData("4761739001010119876", "476173*********9876")]
    [InlineData("4761739001010119", "476173******0119")]
    [InlineData("4761739001011", "476173***1011")]
    [InlineData("476173900101", "********0101")]
    [InlineData("1234", "****")]
    [InlineData("", "")]
    public void PAN_is_masked_to_at_most_first_6_and_last_4(string pan, string masked)
    {
        Assert.Equal(masked, SensitiveData.MaskPan(Encoding.ASCII.GetBytes(pan)));
        Assert.Equal(masked, SensitiveData.MaskPan(pan));
    }

    [Fact]
    public void Null_PAN_masks_to_nothing() => Assert.Equal(string.Empty, SensitiveData.MaskPan((string?)null));

    [Fact]
    public void Description_of_the_reference_withdrawal_shows_no_PAN_track_2_or_PIN_block()
    {
        var message = ReferenceMessages.CreateWithdrawalRequest();

        var text = SensitiveData.Describe(message);

        Assert.StartsWith("0200 DE2=476173******0119 DE3=012000 DE4=000000002000", text, StringComparison.Ordinal);
        Assert.Contains("DE35=[33 bytes hidden]", text, StringComparison.Ordinal);
        Assert.Contains("DE52=[8 bytes hidden]", text, StringComparison.Ordinal);
        Assert.Contains("DE41=ATM00001", text, StringComparison.Ordinal);
        Assert.DoesNotContain(ReferenceMessages.DemoPan, text, StringComparison.Ordinal);
        Assert.DoesNotContain("=2812101", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(35, "4761739001010119=28121010000000000")]
    [InlineData(52, "PINBLK52")]
    [InlineData(64, "MACVAL64")]
    [InlineData(128, "MAC128XY")]
    public void Secret_field_value_never_appears_in_the_description(int field, string secret)
    {
        // Binary secrets are chosen printable so that a leak would show up as text.
        var message = new IsoMessage { Mti = 200 };
        message.Set(11, "000123");
        message.Set(field, Encoding.ASCII.GetBytes(secret));

        var text = SensitiveData.Describe(message);

        Assert.Contains($"DE{field}=[{secret.Length} bytes hidden]", text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.Contains("DE11=000123", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Description_of_every_flow_message_holds_no_full_PAN()
    {
        foreach (var flow in FlowMessages.Names)
        {
            var text = SensitiveData.Describe(FlowMessages.Create(flow));

            Assert.DoesNotContain(ReferenceMessages.DemoPan, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Account_identification_DE_102_is_masked_like_a_PAN()
    {
        var message = new IsoMessage { Mti = 200 };
        message.Set(102, ReferenceMessages.DemoPan);

        Assert.Equal("0200 DE102=476173******0119", SensitiveData.Describe(message));
    }

    [Fact]
    public void Message_without_a_readable_MTI_is_described_with_question_marks()
    {
        var message = new IsoMessage();
        message.Set(11, "000123");

        Assert.Equal("???? DE11=000123", SensitiveData.Describe(message));
    }
}
