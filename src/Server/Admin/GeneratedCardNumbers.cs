using System.Globalization;

namespace SocketAtm.Server.Admin;

/// <summary>Card numbers for provisioning test fleets: a prefix, a zero-padded sequence number and a Luhn check digit.</summary>
internal static class GeneratedCardNumbers
{
    /// <summary>PANs of 16 digits starting with <paramref name="prefix"/> (1–9 digits), numbered from <paramref name="first"/>.</summary>
    public static IReadOnlyList<string> Create(string prefix, int count, long first = 0)
    {
        if (prefix is not { Length: >= 1 and <= 9 } || !prefix.All(char.IsAsciiDigit) || count < 1 || first < 0
            || first + count > (long)Math.Pow(10, 15 - prefix.Length))
        {
            throw new ArgumentException("The prefix is 1 to 9 digits and leaves room for the count.", nameof(prefix));
        }

        return Enumerable.Range(0, count).Select(index =>
        {
            var body = prefix + (first + index).ToString(CultureInfo.InvariantCulture).PadLeft(15 - prefix.Length, '0');
            return body + LuhnCheckDigit(body);
        }).ToList();
    }

    private static char LuhnCheckDigit(string body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var digit = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                digit *= 2;
                digit = digit > 9 ? digit - 9 : digit;
            }

            sum += digit;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }
}
