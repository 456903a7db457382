using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Protocol.Tests.Iso8583;

/// <summary>A random valid message: an MTI and values (as given to Set, before padding) for some defined fields.</summary>
public sealed record RandomMessage(int Mti, IReadOnlyList<(int Field, byte[] Value)> Fields, int SegmentSize)
{
    /// <summary>Builds the message with <see cref="IsoMessage.Set(int, ReadOnlySpan{byte})"/>.</summary>
    public IsoMessage Build()
    {
        var message = new IsoMessage { Mti = Mti };
        foreach (var (field, value) in Fields)
        {
            message.Set(field, value);
        }

        return message;
    }

    /// <summary>What the field must hold after a round trip: the value padded as its type requires, computed independently of the codec.</summary>
    public static byte[] ExpectedOnWire(int field, byte[] value)
    {
        var definition = FieldTable.Get(field);
        if (definition.LengthType != LengthType.Fixed || value.Length == definition.MaxLength)
        {
            return value;
        }

        var padding = definition.MaxLength - value.Length;
        return definition.Type == FieldType.Numeric
            ? [.. Enumerable.Repeat((byte)'0', padding), .. value]
            : [.. value, .. Enumerable.Repeat((byte)' ', padding)];
    }

    public override string ToString() =>
        $"MTI {Mti:D4}, segments of {SegmentSize}: " + string.Join(", ", Fields.Select(f => $"DE {f.Field}={Convert.ToHexString(f.Value)}"));
}
