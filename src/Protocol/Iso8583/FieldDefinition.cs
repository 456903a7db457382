namespace SocketAtm.Protocol.Iso8583;

/// <summary>
/// One row of the field table: how data element <see cref="Number"/> is encoded.
/// <see cref="MaxLength"/> is the fixed length for fixed fields, the upper bound for variable ones.
/// </summary>
public readonly record struct FieldDefinition(int Number, FieldType Type, LengthType LengthType, int MaxLength, string Name)
{
    /// <summary>True when the table defines this data element.</summary>
    public bool IsDefined => MaxLength > 0;

    /// <summary>Number of ASCII digits in the length prefix (0 for fixed fields).</summary>
    public int PrefixDigits => LengthType switch
    {
        LengthType.LlVar => 2,
        LengthType.LllVar => 3,
        _ => 0,
    };

    /// <summary>Upper bound of the encoded size of this field, prefix included.</summary>
    public int MaxEncodedLength => PrefixDigits + MaxLength;

    /// <summary>The data-element notation used in PROTOCOL.md, e.g. <c>n..19 LLVAR</c> or <c>ans8</c>.</summary>
    public string Notation
    {
        get
        {
            var type = Type switch
            {
                FieldType.Numeric => "n",
                FieldType.Alphanumeric => "an",
                FieldType.AlphanumericSpecial => "ans",
                FieldType.Binary => "b",
                _ => "z",
            };
            return LengthType switch
            {
                LengthType.LlVar => $"{type}..{MaxLength} LLVAR",
                LengthType.LllVar => $"{type}..{MaxLength} LLLVAR",
                _ => $"{type}{MaxLength}",
            };
        }
    }
}
