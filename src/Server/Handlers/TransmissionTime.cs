namespace SocketAtm.Server.Handlers;

/// <summary>
/// DE 7 (transmission date and time, MMDDhhmmss, GMT) read as a point in time, and whether it is within the transmission
/// window of the host's clock. DE 7 carries no year: it is the year (of the one before, this and the next) that puts the
/// date nearest to the host's clock, so <c>1231235959</c> received on 1 January at 00:00:10 is eleven seconds old, and
/// <c>0101000005</c> received on 31 December at 23:59:50 is fifteen seconds ahead. Allocation-free: it runs for every
/// card request.
/// </summary>
internal static class TransmissionTime
{
    private const int Length = 10;

    /// <summary>
    /// The time <paramref name="field"/> names, in the year nearest to <paramref name="now"/>; false when it is not ten
    /// digits of a real date and time in any of those years (a 29 February is a date only in a leap year).
    /// </summary>
    public static bool TryResolve(ReadOnlySpan<byte> field, DateTimeOffset now, out DateTimeOffset sent)
    {
        sent = default;
        if (field.Length != Length
            || !TryReadTwoDigits(field, 0, out var month)
            || !TryReadTwoDigits(field, 2, out var day)
            || !TryReadTwoDigits(field, 4, out var hour)
            || !TryReadTwoDigits(field, 6, out var minute)
            || !TryReadTwoDigits(field, 8, out var second)
            || month is < 1 or > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var year = now.UtcDateTime.Year;
        var found = false;
        var nearest = TimeSpan.MaxValue;
        for (var candidateYear = year - 1; candidateYear <= year + 1; candidateYear++)
        {
            if (candidateYear is < 1 or > 9999 || day > DateTime.DaysInMonth(candidateYear, month))
            {
                continue;
            }

            var candidate = new DateTimeOffset(candidateYear, month, day, hour, minute, second, TimeSpan.Zero);
            var distance = (candidate - now).Duration();
            if (distance < nearest)
            {
                nearest = distance;
                sent = candidate;
                found = true;
            }
        }

        return found;
    }

    /// <summary>
    /// True when <paramref name="field"/> names a time at most <paramref name="window"/> before or after
    /// <paramref name="now"/>; false when it is further, or names no time at all.
    /// </summary>
    public static bool IsWithin(ReadOnlySpan<byte> field, DateTimeOffset now, TimeSpan window) =>
        TryResolve(field, now, out var sent) && (sent - now).Duration() <= window;

    private static bool TryReadTwoDigits(ReadOnlySpan<byte> field, int offset, out int value)
    {
        var tens = field[offset] - '0';
        var units = field[offset + 1] - '0';
        value = (tens * 10) + units;
        return (uint)tens <= 9 && (uint)units <= 9;
    }
}
