namespace SocketAtm.Protocol.Composites;

/// <summary>Reads a run of ASCII digits without allocating, as the composite fields' parts are.</summary>
internal static class Digits
{
    /// <summary>The value of <paramref name="digits"/> (at most 18); false when any byte is not a digit or there are none.</summary>
    public static bool TryRead(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 18)
        {
            return false;
        }

        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                value = 0;
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }
}
