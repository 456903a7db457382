using System.Globalization;

namespace SocketAtm.Server.Admin;

/// <summary>Money typed by a person ("1000.00", "40", "0.5") to minor units, exactly: no floating point anywhere.</summary>
internal static class MinorUnits
{
    /// <summary>Parses a non-negative amount with at most two decimals into cents.</summary>
    public static bool TryParse(string text, out long minorUnits)
    {
        minorUnits = 0;
        var parts = text.Trim().Split('.');
        if (parts.Length > 2 || parts[0].Length is 0 or > 13 || !parts[0].All(char.IsAsciiDigit))
        {
            return false;
        }

        var cents = 0L;
        if (parts.Length == 2)
        {
            if (parts[1].Length is 0 or > 2 || !parts[1].All(char.IsAsciiDigit))
            {
                return false;
            }

            cents = long.Parse(parts[1].PadRight(2, '0'), CultureInfo.InvariantCulture);
        }

        minorUnits = (long.Parse(parts[0], CultureInfo.InvariantCulture) * 100) + cents;
        return true;
    }

    /// <summary>Cents as "1,234.56".</summary>
    public static string Format(long minorUnits) =>
        (minorUnits < 0 ? "-" : string.Empty)
        + (Math.Abs(minorUnits) / 100).ToString("N0", CultureInfo.InvariantCulture)
        + "." + (Math.Abs(minorUnits) % 100).ToString("D2", CultureInfo.InvariantCulture);
}
