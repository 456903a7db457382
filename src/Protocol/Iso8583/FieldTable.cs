using System.Collections.Frozen;

namespace SocketAtm.Protocol.Iso8583;

/// <summary>
/// The data elements SocketAtm understands, as data: adding a field is one line here.
/// Any bit set for a field that is not in this table is a format error, because its length cannot be known.
/// </summary>
public static class FieldTable
{
    /// <summary>Highest data element number (secondary bitmap included).</summary>
    public const int MaxFieldNumber = 128;

    private static readonly FieldDefinition[] Definitions = Build(
    [
        new(2, FieldType.Numeric, LengthType.LlVar, 19, "Primary account number"),
        new(3, FieldType.Numeric, LengthType.Fixed, 6, "Processing code"),
        new(4, FieldType.Numeric, LengthType.Fixed, 12, "Amount, transaction"),
        new(7, FieldType.Numeric, LengthType.Fixed, 10, "Transmission date and time"),
        new(11, FieldType.Numeric, LengthType.Fixed, 6, "System trace audit number"),
        new(12, FieldType.Numeric, LengthType.Fixed, 6, "Time, local transaction"),
        new(13, FieldType.Numeric, LengthType.Fixed, 4, "Date, local transaction"),
        new(14, FieldType.Numeric, LengthType.Fixed, 4, "Date, expiration"),
        new(15, FieldType.Numeric, LengthType.Fixed, 4, "Date, settlement"),
        new(18, FieldType.Numeric, LengthType.Fixed, 4, "Merchant type"),
        new(22, FieldType.Numeric, LengthType.Fixed, 3, "POS entry mode"),
        new(25, FieldType.Numeric, LengthType.Fixed, 2, "POS condition code"),
        new(32, FieldType.Numeric, LengthType.LlVar, 11, "Acquiring institution id"),
        new(35, FieldType.Track2, LengthType.LlVar, 37, "Track 2 data"),
        new(37, FieldType.Alphanumeric, LengthType.Fixed, 12, "Retrieval reference number"),
        new(38, FieldType.Alphanumeric, LengthType.Fixed, 6, "Authorization id response"),
        new(39, FieldType.Alphanumeric, LengthType.Fixed, 2, "Response code"),
        new(41, FieldType.AlphanumericSpecial, LengthType.Fixed, 8, "Card acceptor terminal id"),
        new(42, FieldType.AlphanumericSpecial, LengthType.Fixed, 15, "Card acceptor id code"),
        new(43, FieldType.AlphanumericSpecial, LengthType.Fixed, 40, "Card acceptor name/location"),
        new(48, FieldType.AlphanumericSpecial, LengthType.LllVar, 999, "Additional data, private"),
        new(49, FieldType.Numeric, LengthType.Fixed, 3, "Currency code, transaction"),
        new(52, FieldType.Binary, LengthType.Fixed, 8, "PIN data"),
        new(53, FieldType.Numeric, LengthType.Fixed, 16, "Security related control information"),
        new(54, FieldType.Alphanumeric, LengthType.LllVar, 120, "Additional amounts"),
        new(64, FieldType.Binary, LengthType.Fixed, 8, "Message authentication code"),
        new(70, FieldType.Numeric, LengthType.Fixed, 3, "Network management information code"),
        new(90, FieldType.Numeric, LengthType.Fixed, 42, "Original data elements"),
        new(95, FieldType.Alphanumeric, LengthType.Fixed, 42, "Replacement amounts"),
        new(96, FieldType.Binary, LengthType.Fixed, 8, "Message security code"),
        new(102, FieldType.AlphanumericSpecial, LengthType.LlVar, 28, "Account identification 1"),
        new(128, FieldType.Binary, LengthType.Fixed, 8, "Message authentication code"),
    ]);

    /// <summary>The defined data elements in ascending order.</summary>
    public static IReadOnlyList<FieldDefinition> All { get; } = Definitions.Where(d => d.IsDefined).ToArray();

    /// <summary>The parser's compact copy of the table, indexed by field number 0–128 like the definitions.</summary>
    internal static readonly FieldLayout[] Layouts = Array.ConvertAll(Definitions, definition => new FieldLayout(definition));

    private static readonly FrozenSet<int> DefinedNumbers = All.Select(d => d.Number).ToFrozenSet();

    /// <summary>The definition of <paramref name="number"/>, or an undefined row (<see cref="FieldDefinition.IsDefined"/> false).</summary>
    public static ref readonly FieldDefinition Get(int number) => ref Definitions[(uint)number <= MaxFieldNumber ? number : 0];

    /// <summary>True when data element <paramref name="number"/> is in the table.</summary>
    public static bool IsDefined(int number) => DefinedNumbers.Contains(number);

    private static FieldDefinition[] Build(FieldDefinition[] rows)
    {
        var table = new FieldDefinition[MaxFieldNumber + 1];
        foreach (var row in rows)
        {
            if (row.Number is < 2 or > MaxFieldNumber || table[row.Number].IsDefined)
            {
                throw new InvalidOperationException($"Field table row DE {row.Number} is out of range or duplicated.");
            }

            if (row.LengthType == LengthType.LlVar && row.MaxLength > 99)
            {
                throw new InvalidOperationException($"Field table row DE {row.Number}: LLVAR cannot exceed 99.");
            }

            // The parser's compact FieldLayout keeps the length in 16 bits, and no ISO 8583 element is longer than an LLLVAR.
            if (row.MaxLength > 999)
            {
                throw new InvalidOperationException($"Field table row DE {row.Number}: no field can exceed 999.");
            }

            table[row.Number] = row;
        }

        return table;
    }
}
