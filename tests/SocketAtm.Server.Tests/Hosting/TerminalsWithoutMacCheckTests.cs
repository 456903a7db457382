using System.Globalization;
using SocketAtm.Server.Hosting;

namespace SocketAtm.Server.Tests.Hosting;

/// <summary>The start-up warning names the terminals without a MAC key, but stays one readable line for a fleet.</summary>
public sealed class TerminalsWithoutMacCheckTests
{
    [Fact]
    public void Up_to_twenty_terminals_are_named_all()
    {
        var twenty = Ids(20);

        Assert.Equal(string.Join(", ", twenty), TerminalsWithoutMacCheck.Name(twenty));
    }

    [Fact]
    public void Beyond_twenty_the_first_twenty_are_named_and_the_rest_counted()
    {
        var named = TerminalsWithoutMacCheck.Name(Ids(1_000));

        Assert.StartsWith("ATM00001, ATM00002, ", named, StringComparison.Ordinal);
        Assert.EndsWith("ATM00020 and 980 more", named, StringComparison.Ordinal);
        Assert.DoesNotContain("ATM00021", named, StringComparison.Ordinal);
    }

    private static string[] Ids(int count) =>
        [.. Enumerable.Range(1, count).Select(n => "ATM" + n.ToString("D5", CultureInfo.InvariantCulture))];
}
