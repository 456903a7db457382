using FsCheck;
using FsCheck.Xunit;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Protocol.Tests.Iso8583;

/// <summary>
/// The parser's fast walk (well-formed messages only) and its careful walk (which finds the first error) must accept
/// and refuse the same messages and read the same fields: random valid messages, damaged here and there.
/// </summary>
public class ParserWalkAgreementProperties
{
    [Property(Arbitrary = [typeof(RandomMessageArbitrary)], MaxTest = 1000)]
    public void Both_walks_give_the_same_answer_for_a_damaged_valid_message(RandomMessage random, byte[] damage, PositiveInt cut)
    {
        var payload = IsoMessageWriter.ToArray(random.Build());

        // Pairs of bytes in the damage are (position, new byte); an odd last one cuts the message short.
        for (var i = 0; i + 1 < damage.Length; i += 2)
        {
            payload[damage[i] % payload.Length] = damage[i + 1];
        }

        var length = damage.Length % 2 == 1 ? cut.Get % (payload.Length + 1) : payload.Length;
        AssertSameAnswer(payload.AsSpan(0, length));
    }

    [Property(Arbitrary = [typeof(RandomMessageArbitrary)], MaxTest = 300)]
    public void Both_walks_give_the_same_answer_for_every_byte_value_in_every_element_position(RandomMessage random, byte value)
    {
        var payload = IsoMessageWriter.ToArray(random.Build());
        for (var position = 4; position < payload.Length; position++)
        {
            var damaged = payload.ToArray();
            damaged[position] = value;
            AssertSameAnswer(damaged);
        }

        AssertSameAnswer(payload);
        AssertSameAnswer([.. payload, (byte)'0']);
    }

    [Fact]
    public void Both_walks_agree_on_the_reference_withdrawal()
    {
        AssertSameAnswer(IsoMessageWriter.ToArray(ReferenceMessages.CreateWithdrawalRequest()));
    }

    private static void AssertSameAnswer(ReadOnlySpan<byte> payload)
    {
        var fast = new IsoMessage();
        var careful = new IsoMessage();

        IsoMessageParser.TryParse(payload, fast, out var fastError);
        var carefulError = IsoMessageParser.ParseCarefully(payload, careful);

        Assert.Equal(carefulError, fastError);
        Assert.Equal(careful.Mti, fast.Mti);
        Assert.Equal(MessageFields(careful), MessageFields(fast));
    }

    private static string MessageFields(IsoMessage message)
    {
        var fields = new List<string>();
        foreach (var field in message.Fields)
        {
            fields.Add($"{field}={Convert.ToHexString(message.Get(field))}");
        }

        return string.Join(",", fields);
    }
}
