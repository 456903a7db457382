using FsCheck;
using FsCheck.Fluent;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Protocol.Tests.Iso8583;

/// <summary>FsCheck generators of random valid messages, driven by the field table so new fields are covered automatically.</summary>
public static class RandomMessageArbitrary
{
    private const string AlphanumericCharacters = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ";
    private const string Track2Characters = "0123456789=D";

    public static Arbitrary<RandomMessage> Messages() => Arb.From(MessageGen);

    private static Gen<RandomMessage> MessageGen =>
        from mti in Gen.Choose(0, 9999)
        from definitions in Gen.SubListOf(FieldTable.All.AsEnumerable())
        from fields in Gen.CollectToArray(definitions, d => ValueGen(d).Select(value => (d.Number, value)))
        from segmentSize in Gen.Elements(1, 2, 5, 13, 64, int.MaxValue)
        select new RandomMessage(mti, fields, segmentSize);

    private static Gen<byte[]> ValueGen(FieldDefinition definition)
    {
        // Fixed fields also get shorter values, which Set pads; fixed binary fields must be exact.
        var length = definition is { LengthType: LengthType.Fixed, Type: FieldType.Binary }
            ? Gen.Constant(definition.MaxLength)
            : Gen.Choose(0, definition.MaxLength);
        var character = definition.Type switch
        {
            FieldType.Numeric => Gen.Choose('0', '9'),
            FieldType.Alphanumeric => Gen.Elements(AlphanumericCharacters.Select(c => (int)c)),
            FieldType.AlphanumericSpecial => Gen.Choose(0x20, 0x7E),
            FieldType.Track2 => Gen.Elements(Track2Characters.Select(c => (int)c)),
            _ => Gen.Choose(0, 255),
        };
        return length.SelectMany(n => Gen.ArrayOf(character.Select(c => (byte)c), n));
    }
}
