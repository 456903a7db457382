using SocketAtm.Client;

namespace SocketAtm.TerminalClient.Tests.Client;

public sealed class MinorUnitsTests
{
    [Theory]
    [InlineData("40.00", 4000)]
    [InlineData("40", 4000)]
    [InlineData("40.5", 4050)]
    [InlineData("0.01", 1)]
    [InlineData("0", 0)]
    [InlineData("9999999999.99", 999_999_999_999)]
    [InlineData("0.29", 29)]
    public void Decimal_text_becomes_exact_minor_units(string text, long expected)
    {
        Assert.True(MinorUnits.TryParse(text, out var minor));
        Assert.Equal(expected, minor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("40.001")]
    [InlineData("40.")]
    [InlineData(".5")]
    [InlineData("1e3")]
    [InlineData("1,000.00")]
    [InlineData(" 40")]
    [InlineData("10000000000.00")]
    [InlineData(null)]
    public void Anything_but_a_plain_non_negative_amount_is_refused(string? text)
    {
        Assert.False(MinorUnits.TryParse(text, out var minor));
        Assert.Equal(0, minor);
    }

    [Theory]
    [InlineData(0, "0.00")]
    [InlineData(5, "0.05")]
    [InlineData(4000, "40.00")]
    [InlineData(123456, "1,234.56")]
    [InlineData(100000000, "1,000,000.00")]
    [InlineData(-500, "-5.00")]
    public void Minor_units_are_formatted_with_two_decimals_and_group_separators(long minor, string expected)
    {
        Assert.Equal(expected, MinorUnits.Format(minor));
    }
}
