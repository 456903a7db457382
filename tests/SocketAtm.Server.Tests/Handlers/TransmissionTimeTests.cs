using System.Text;
using SocketAtm.Server.Handlers;

namespace SocketAtm.Server.Tests.Handlers;

/// <summary>DE 7 has no year: it is read in the year that puts it nearest to the host's clock, across year boundaries too.</summary>
public sealed class TransmissionTimeTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    [Theory]
    // The last second of a year, received just after midnight: eleven seconds old, not a year ahead.
    [InlineData("1231235959", "2027-01-01T00:00:10Z", "2026-12-31T23:59:59Z")]
    // The first seconds of a year, received just before midnight (a terminal clock a little ahead).
    [InlineData("0101000005", "2026-12-31T23:59:50Z", "2027-01-01T00:00:05Z")]
    [InlineData("0615120000", "2026-06-15T12:07:00Z", "2026-06-15T12:00:00Z")]
    // Nearest wins even far from now: the December before, not the December coming.
    [InlineData("1231000000", "2026-01-10T00:00:00Z", "2025-12-31T00:00:00Z")]
    [InlineData("0101000000", "2026-12-20T00:00:00Z", "2027-01-01T00:00:00Z")]
    // 29 February exists only in a leap year.
    [InlineData("0229120000", "2028-03-01T00:00:00Z", "2028-02-29T12:00:00Z")]
    [InlineData("0229120000", "2027-03-01T00:00:00Z", "2028-02-29T12:00:00Z")]
    public void The_year_is_the_one_nearest_to_the_clock(string de7, string now, string expected)
    {
        Assert.True(TransmissionTime.TryResolve(Encoding.ASCII.GetBytes(de7), DateTimeOffset.Parse(now), out var sent));

        Assert.Equal(DateTimeOffset.Parse(expected), sent);
    }

    [Theory]
    [InlineData("1231235959", "2027-01-01T00:00:10Z", true)]
    [InlineData("0101000005", "2026-12-31T23:59:50Z", true)]
    [InlineData("1231234500", "2027-01-01T00:00:00Z", true)] // exactly 15 minutes old
    [InlineData("1231234459", "2027-01-01T00:00:00Z", false)] // a second more
    [InlineData("0101001500", "2026-12-31T23:59:59Z", false)] // more than 15 minutes ahead, across the year
    [InlineData("0101000000", "2027-01-02T00:00:00Z", false)] // a day old
    [InlineData("0229120000", "2027-02-28T12:00:00Z", false)] // no 29 February near a common year's end of February
    public void Within_the_window_either_way_and_no_further(string de7, string now, bool within) =>
        Assert.Equal(within, TransmissionTime.IsWithin(Encoding.ASCII.GetBytes(de7), DateTimeOffset.Parse(now), Window));

    [Theory]
    [InlineData("1332000000")] // month 13
    [InlineData("0431120000")] // 31 April
    [InlineData("0001120000")] // month 0
    [InlineData("1200120000")] // day 0
    [InlineData("1231240000")] // hour 24
    [InlineData("1231236000")] // minute 60
    [InlineData("1231235960")] // second 60
    [InlineData("12312359")] // too short
    [InlineData("123123595900")] // too long
    [InlineData("12312359AB")]
    [InlineData("")]
    public void What_names_no_time_is_never_within_the_window(string de7)
    {
        var now = DateTimeOffset.Parse("2026-12-31T23:59:59Z");

        Assert.False(TransmissionTime.TryResolve(Encoding.ASCII.GetBytes(de7), now, out _));
        Assert.False(TransmissionTime.IsWithin(Encoding.ASCII.GetBytes(de7), now, TimeSpan.FromHours(12)));
    }
}
