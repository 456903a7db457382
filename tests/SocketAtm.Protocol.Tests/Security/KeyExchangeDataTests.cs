using System.Text;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Protocol.Tests.Security;

public class KeyExchangeDataTests
{
    private static readonly byte[] DemoMasterKey = Convert.FromHexString("F72E4C31320DC7AA66EAEAB7FAA58FAD");
    private static readonly byte[] DemoPinKey = Convert.FromHexString("A13F766224F292F868D54D2CFAB1683A");
    private static readonly byte[] DemoMacKey = Convert.FromHexString("1146ADC3F56CFB56FF054B0FEA03B0EE");

    [Fact]
    public void Value_is_tpk_wrapped_key_kcv_then_tak_wrapped_key_kcv()
    {
        var text = Write(DemoPinKey, DemoMacKey);

        Assert.Equal(82, text.Length);
        Assert.Equal("TPK", text[..3]);
        Assert.Equal(Wrapped(DemoPinKey), text[3..35]);
        Assert.Equal(KeyCheckValue.ToHex(DemoPinKey), text[35..41]);
        Assert.Equal("TAK", text[41..44]);
        Assert.Equal(Wrapped(DemoMacKey), text[44..76]);
        Assert.Equal(KeyCheckValue.ToHex(DemoMacKey), text[76..82]);
        Assert.Equal(text.ToUpperInvariant(), text);
    }

    [Fact]
    public void Reading_returns_both_clear_keys()
    {
        var value = Encoding.ASCII.GetBytes(Write(DemoPinKey, DemoMacKey));
        var pinKey = new byte[16];
        var macKey = new byte[16];

        Assert.True(KeyExchangeData.TryRead(DemoMasterKey, value, pinKey, macKey));

        Assert.Equal(DemoPinKey, pinKey);
        Assert.Equal(DemoMacKey, macKey);
    }

    [Fact]
    public void Lower_case_hex_is_accepted()
    {
        var text = Write(DemoPinKey, DemoMacKey);
        var lower = "TPK" + text[3..41].ToLowerInvariant() + "TAK" + text[44..].ToLowerInvariant();

        Assert.True(KeyExchangeData.TryRead(DemoMasterKey, Encoding.ASCII.GetBytes(lower), new byte[16], new byte[16]));
    }

    [Theory]
    [InlineData(36, '0')] // a KCV digit of the TPK
    [InlineData(80, '0')] // a KCV digit of the TAK
    [InlineData(10, 'G')] // not hex
    [InlineData(0, 'X')]  // tag
    [InlineData(43, 'X')] // tag
    public void A_damaged_value_is_rejected_and_the_keys_cleared(int position, char replacement)
    {
        var value = Encoding.ASCII.GetBytes(Write(DemoPinKey, DemoMacKey));
        value[position] = value[position] == (byte)replacement ? (byte)'1' : (byte)replacement;
        var pinKey = Enumerable.Repeat((byte)0xAA, 16).ToArray();
        var macKey = Enumerable.Repeat((byte)0xAA, 16).ToArray();

        Assert.False(KeyExchangeData.TryRead(DemoMasterKey, value, pinKey, macKey));

        Assert.All(pinKey, b => Assert.Equal(0, b));
        Assert.All(macKey, b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_value_read_under_another_master_key_fails_its_kcv_check()
    {
        var value = Encoding.ASCII.GetBytes(Write(DemoPinKey, DemoMacKey));

        Assert.False(KeyExchangeData.TryRead(DemoPinKey, value, new byte[16], new byte[16]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(81)]
    [InlineData(83)]
    public void A_value_of_the_wrong_length_is_rejected(int length)
    {
        var value = Encoding.ASCII.GetBytes(Write(DemoPinKey, DemoMacKey).PadRight(83, '0')[..length]);

        Assert.False(KeyExchangeData.TryRead(DemoMasterKey, value, new byte[16], new byte[16]));
    }

    private static string Write(byte[] pinKey, byte[] macKey)
    {
        var value = new byte[KeyExchangeData.Length];
        KeyExchangeData.Write(DemoMasterKey, pinKey, macKey, value);
        return Encoding.ASCII.GetString(value);
    }

    private static string Wrapped(byte[] key)
    {
        var wrapped = new byte[16];
        KeyWrapping.Wrap(DemoMasterKey, key, wrapped);
        return Convert.ToHexString(wrapped);
    }
}
