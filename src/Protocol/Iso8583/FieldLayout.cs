namespace SocketAtm.Protocol.Iso8583;

/// <summary>
/// What the parser needs of one field-table row, in four bytes: the hot loop reads this instead of the
/// <see cref="FieldDefinition"/> (which carries the name and computes its prefix size with a switch).
/// </summary>
internal readonly struct FieldLayout(FieldDefinition definition)
{
    /// <summary>The content class, which decides the allowed bytes.</summary>
    public readonly FieldType Type = definition.Type;

    /// <summary>ASCII digits in the length prefix: 0 (fixed), 2 (LLVAR) or 3 (LLLVAR).</summary>
    public readonly byte PrefixDigits = (byte)definition.PrefixDigits;

    /// <summary>The fixed length, or the maximum of a variable one; 0 for an undefined field.</summary>
    public readonly ushort MaxLength = (ushort)definition.MaxLength;
}
