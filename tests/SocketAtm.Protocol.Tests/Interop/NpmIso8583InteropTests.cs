using System.Buffers.Binary;
using SocketAtm.Protocol.Tests.Support;

namespace SocketAtm.Protocol.Tests.Interop;

/// <summary>
/// Byte vectors produced by an independent implementation, the npm package iso_8583 2.6.7, so that our codec is
/// checked against someone else's reading of ISO 8583 and not only against itself. No Node is needed to run these:
/// the bytes were captured once with Interop/make-vector.js (see its header for the exact commands).
/// </summary>
public class NpmIso8583InteropTests
{
    /// <summary>
    /// The reference 0200 withdrawal (DE 2, 3, 4, 7, 11, 12, 13, 14, 22, 25, 32, 35, 41, 42, 43, 49, 52) as a frame.
    /// Produced by iso_8583@2.6.7: <c>NODE_PATH=/tmp/npmiso/node_modules node tests/SocketAtm.Protocol.Tests/Interop/make-vector.js withdrawal</c>.
    /// </summary>
    private const string NpmWithdrawalFrameHex =
        "00D030323030F23C048120E0900000000000000000003136343736313733393030313031303131393031323030303030303030303030"
        + "323030303034313531303330313530303031323331303330313530343135323831323032313032303634303030303133333437363137"
        + "33393030313031303131393D3238313231303130303030303030303041544D3030303031534F434B455441544D303030303031534F43"
        + "4B455441544D2044454D4F204252414E434820535052494E474649454C442020202020555338343070450B5EE88E6C93";

    /// <summary>
    /// A partial reversal (DE 2, 3, 4, 7, 11, 32, 41, 49, 90, 95): a real secondary bitmap on the wire.
    /// Produced by iso_8583@2.6.7: <c>NODE_PATH=/tmp/npmiso/node_modules node tests/SocketAtm.Protocol.Tests/Interop/make-vector.js reversal</c>.
    /// </summary>
    private const string NpmReversalFrameHex =
        "00AF30343030F22000010080800000000042000000003136343736313733393030313031303131393031323030303030303030303030"
        + "3230303030343135313033353030303030313235303634303030303141544D3030303031383430303230303030303132333034313531"
        + "303330313530303030303430303030313030303030303030303030303030303030303031303030303030303030303031303030433030"
        + "303030303030433030303030303030";

    /// <summary>
    /// Our 0210 approval of the withdrawal. Reverse check, done by hand (CI has no Node): with iso_8583@2.6.7,
    /// <c>node tests/SocketAtm.Protocol.Tests/Interop/make-vector.js check-response &lt;this hex&gt;</c> unpacks it and
    /// reports every field equal to what we meant to send ("all fields match").
    /// </summary>
    private const string OurWithdrawalResponseFrameHex =
        "009C30323130723800010E80840031363437363137333930303130313031313930313230303030303030303030303230303030343135"
        + "313033303135303030313233313033303135303431353036343030303031303030303030303030303031343833393230303041544D30"
        + "3030303138343030343032303031383430433030303030303039383030303230303238343043303030303030303938303030";

    [Fact]
    public void Withdrawal_from_the_npm_package_parses_to_the_reference_fields()
    {
        var frame = Convert.FromHexString(NpmWithdrawalFrameHex);

        var parsed = MessageAssert.ReadSingle(SegmentedSequence.OneBytePerSegment(frame));

        MessageAssert.Equal(ReferenceMessages.CreateWithdrawalRequest(), parsed);
        Assert.Equal(ReferenceMessages.PinBlock.ToArray(), parsed.Get(52).ToArray());
        Assert.Equal("4761739001010119=2812101000000000", parsed.GetString(35));
    }

    [Fact]
    public void Our_withdrawal_matches_the_npm_bytes_except_the_empty_secondary_bitmap_it_always_sends()
    {
        var npm = Convert.FromHexString(NpmWithdrawalFrameHex);

        var ours = MessageAssert.Frame(ReferenceMessages.CreateWithdrawalRequest());

        // The package sets bit 1 and sends 8 zero bytes of secondary bitmap even with no field above 64; we send
        // a secondary bitmap only when needed. Everything else — MTI, primary bits, every field — is byte-identical.
        Assert.Equal(Convert.ToHexString(WithoutEmptySecondaryBitmap(npm)), Convert.ToHexString(ours));
    }

    [Fact]
    public void Reversal_from_the_npm_package_parses_and_our_encoding_is_byte_identical()
    {
        var npm = Convert.FromHexString(NpmReversalFrameHex);
        var expected = FlowMessages.Create("0400 partial reversal");

        var parsed = MessageAssert.ReadSingle(SegmentedSequence.Whole(npm));

        MessageAssert.Equal(expected, parsed);
        Assert.Equal(Convert.ToHexString(npm), Convert.ToHexString(MessageAssert.Frame(expected)));
    }

    [Fact]
    public void Our_withdrawal_response_is_still_the_vector_checked_with_the_npm_package()
    {
        var ours = MessageAssert.Frame(ReferenceMessages.CreateWithdrawalResponse());

        Assert.Equal(OurWithdrawalResponseFrameHex, Convert.ToHexString(ours));
    }

    /// <summary>The same frame with bit 1 cleared, the all-zero secondary bitmap removed and the length header adjusted.</summary>
    private static byte[] WithoutEmptySecondaryBitmap(byte[] frame)
    {
        const int primaryAt = 2 + 4;
        const int secondaryAt = primaryAt + 8;
        Assert.Equal(0x80, frame[primaryAt] & 0x80);
        Assert.All(frame[secondaryAt..(secondaryAt + 8)], b => Assert.Equal(0, b));

        byte[] result = [.. frame[..secondaryAt], .. frame[(secondaryAt + 8)..]];
        result[primaryAt] &= 0x7F;
        BinaryPrimitives.WriteUInt16BigEndian(result, (ushort)(result.Length - 2));
        return result;
    }
}
