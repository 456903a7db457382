using System.Globalization;

namespace SocketAtm.Client;

/// <summary>
/// Amounts as people write them ("40.00") and as the wire carries them (4000 minor units), converted exactly:
/// by digits, never through floating point.
/// </summary>
public static class MinorUnits
{
    /// <summary>The largest amount DE 4 (12 digits) can carry.</summary>
    public const long MaxAmount = 999_999_999_999;

    /// <summary>
    /// Parses a non-negative decimal amount with at most <paramref name="decimals"/> digits after an optional point
    /// ("40", "40.5", "40.00"; not "-1", "1e3", "40.001" or "1,000.00") into minor units.
    /// </summary>
    public static bool TryParse(string? text, out long minorUnits, int decimals = 2)
    {
        minorUnits = 0;
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 6);
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? text.AsSpan() : text.AsSpan(0, point);
        var fraction = point < 0 ? [] : text.AsSpan(point + 1);
        if (whole.IsEmpty || fraction.Length > decimals || (point >= 0 && fraction.IsEmpty)
            || whole.ContainsAnyExceptInRange('0', '9') || fraction.ContainsAnyExceptInRange('0', '9') || whole.Length > 13)
        {
            return false;
        }

        long value = 0;
        foreach (var digit in whole)
        {
            value = (value * 10) + (digit - '0');
        }

        for (var i = 0; i < decimals; i++)
        {
            value = (value * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
            if (value > MaxAmount)
            {
                return false;
            }
        }

        if (value > MaxAmount)
        {
            return false;
        }

        minorUnits = value;
        return true;
    }

    /// <summary>Formats minor units with a point and group separators: 123456 → "1,234.56"; -500 → "-5.00".</summary>
    public static string Format(long minorUnits, int decimals = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 6);
        var scale = 1L;
        for (var i = 0; i < decimals; i++)
        {
            scale *= 10;
        }

        var magnitude = minorUnits < 0 ? -(decimal)minorUnits : minorUnits;
        var whole = decimal.Truncate(magnitude / scale);
        var fraction = magnitude - (whole * scale);
        var text = whole.ToString("#,0", CultureInfo.InvariantCulture);
        if (decimals > 0)
        {
            text += "." + fraction.ToString(new string('0', decimals), CultureInfo.InvariantCulture);
        }

        return minorUnits < 0 ? "-" + text : text;
    }
}
