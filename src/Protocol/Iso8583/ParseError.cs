using System.Globalization;

namespace SocketAtm.Protocol.Iso8583;

/// <summary>
/// A specific, positioned reason why a message did not parse. Offsets count from the first MTI byte
/// (the 2-byte length header is not counted). A value type: reporting an error allocates nothing
/// until it is formatted.
/// </summary>
public readonly record struct ParseError(ParseErrorKind Kind, int Field, int Offset, int Declared = 0, int Limit = 0, byte Byte = 0)
{
    /// <summary>True when parsing succeeded.</summary>
    public bool IsNone => Kind == ParseErrorKind.None;

    /// <summary>The human-readable description, e.g. "DE 35: declared length 45 exceeds maximum 37 at offset 61".</summary>
    public override string ToString() => Kind switch
    {
        ParseErrorKind.None => "no error",
        ParseErrorKind.TruncatedMti => "frame ends inside the MTI",
        ParseErrorKind.InvalidMti => Invariant($"MTI: non-digit {Show(Byte)} at offset {Offset}"),
        ParseErrorKind.TruncatedBitmap when Field == 1 => "secondary bitmap bit set but frame ends inside the secondary bitmap",
        ParseErrorKind.TruncatedBitmap => "frame ends inside the primary bitmap",
        ParseErrorKind.UndefinedField => Invariant($"bitmap bit {Field} set but DE {Field} is not defined"),
        ParseErrorKind.TruncatedField => Invariant($"frame ends inside DE {Field}"),
        ParseErrorKind.InvalidLengthPrefix => Invariant($"DE {Field}: non-digit {Show(Byte)} in length prefix at offset {Offset}"),
        ParseErrorKind.LengthExceedsMaximum => Invariant($"DE {Field}: declared length {Declared} exceeds maximum {Limit} at offset {Offset}"),
        ParseErrorKind.InvalidCharacter => Invariant($"DE {Field}: {FieldValidation.Describe(FieldTable.Get(Field).Type)} {Show(Byte)} at offset {Offset}"),
        ParseErrorKind.TrailingBytes => Invariant($"{Declared} bytes after the last data element at offset {Offset}"),
        _ => Kind.ToString(),
    };

    private static string Show(byte b) => b is >= 0x21 and <= 0x7E
        ? "'" + (char)b + "'"
        : "0x" + b.ToString("X2", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
