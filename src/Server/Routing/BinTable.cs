namespace SocketAtm.Server.Routing;

/// <summary>
/// Finds the route of a card number by its longest matching BIN prefix (1–11 digits). Built once at start; a lookup
/// reads the PAN's leading digits as numbers and probes one table per configured prefix length, longest first, so it
/// allocates nothing. Immutable after construction, so any number of threads may look up at once.
/// </summary>
/// <typeparam name="T">What a prefix leads to (a route).</typeparam>
internal sealed class BinTable<T>
    where T : class
{
    public const int MaxPrefixLength = 11;

    // Index = prefix length; key = the prefix's digits as a number (the length keeps "054" and "54" apart).
    private readonly Dictionary<long, T>?[] _byLength = new Dictionary<long, T>?[MaxPrefixLength + 1];
    private readonly int[] _lengthsLongestFirst;

    /// <exception cref="ArgumentException">A prefix is not 1–11 digits, or is given twice.</exception>
    public BinTable(IEnumerable<(string Prefix, T Target)> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        foreach (var (prefix, target) in prefixes)
        {
            if (prefix.Length is 0 or > MaxPrefixLength || !prefix.All(char.IsAsciiDigit))
            {
                throw new ArgumentException($"BIN '{prefix}' must be 1–{MaxPrefixLength} digits.", nameof(prefixes));
            }

            var table = _byLength[prefix.Length] ??= [];
            if (!table.TryAdd(long.Parse(prefix, System.Globalization.CultureInfo.InvariantCulture), target))
            {
                throw new ArgumentException($"BIN '{prefix}' is given twice: a prefix belongs to one route.", nameof(prefixes));
            }
        }

        _lengthsLongestFirst = [.. Enumerable.Range(1, MaxPrefixLength).Where(length => _byLength[length] is not null).Reverse()];
    }

    public int Count => _byLength.Sum(table => table?.Count ?? 0);

    /// <summary>The target of the longest prefix of <paramref name="pan"/>; false when none matches or the PAN is not digits.</summary>
    public bool TryFind(ReadOnlySpan<char> pan, out T target)
    {
        foreach (var length in _lengthsLongestFirst)
        {
            if (pan.Length < length || !TryReadDigits(pan[..length], out var value))
            {
                continue;
            }

            if (_byLength[length]!.TryGetValue(value, out var found))
            {
                target = found;
                return true;
            }
        }

        target = null!;
        return false;
    }

    private static bool TryReadDigits(ReadOnlySpan<char> digits, out long value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
