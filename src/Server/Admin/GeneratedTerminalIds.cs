using System.Globalization;

namespace SocketAtm.Server.Admin;

/// <summary>Terminal ids for provisioning test fleets: a prefix and a zero-padded sequence number, 8 characters in all.</summary>
internal static class GeneratedTerminalIds
{
    public const int Length = 8;

    /// <summary>Ids <paramref name="prefix"/> + number, numbered from <paramref name="first"/> (e.g. ATM00011, ATM00012, …).</summary>
    public static IReadOnlyList<string> Create(string prefix, int count, int first = 1)
    {
        if (prefix is not { Length: >= 1 and < Length } || prefix.Any(c => c is < '!' or > '~') || count < 1 || first < 0
            || first + (long)count - 1 >= (long)Math.Pow(10, Length - prefix.Length))
        {
            throw new ArgumentException("The prefix is 1 to 7 printable characters and leaves room for the count.", nameof(prefix));
        }

        var digits = Length - prefix.Length;
        return Enumerable.Range(first, count)
            .Select(number => prefix + number.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0'))
            .ToList();
    }
}
