namespace SocketAtm.Protocol.Iso8583;

/// <summary>Character-set rules of each <see cref="FieldType"/>, shared by the parser and the setters.</summary>
internal static class FieldValidation
{
    /// <summary>Index of the first byte not allowed in <paramref name="type"/>, or -1.</summary>
    public static int IndexOfInvalid(FieldType type, ReadOnlySpan<byte> value)
    {
        switch (type)
        {
            case FieldType.Numeric:
                return value.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
            case FieldType.AlphanumericSpecial:
                return value.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E);
            case FieldType.Binary:
                return -1;
            default:
                for (var i = 0; i < value.Length; i++)
                {
                    if (!IsAllowed(type, value[i]))
                    {
                        return i;
                    }
                }

                return -1;
        }
    }

    /// <summary>How a violation of <paramref name="type"/> is named in errors ("non-digit", …).</summary>
    public static string Describe(FieldType type) => type switch
    {
        FieldType.Numeric => "non-digit",
        FieldType.Alphanumeric => "non-alphanumeric",
        FieldType.AlphanumericSpecial => "non-printable",
        FieldType.Track2 => "invalid track 2 character",
        _ => "invalid byte",
    };

    private static bool IsAllowed(FieldType type, byte b) => type switch
    {
        FieldType.Alphanumeric => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (byte)' ',
        FieldType.Track2 => b is (>= (byte)'0' and <= (byte)'9') or (byte)'=' or (byte)'D',
        _ => false,
    };
}
