using System.Buffers;
using System.Net;
using System.Text;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Tests.Transport;

/// <summary>The PROXY protocol header, v1 and v2, as haproxy.org's proxy-protocol.txt defines it, whole and in pieces.</summary>
public sealed class ProxyHeaderParserTests
{
    private static readonly byte[] TerminalBytes = [0x00, 0x2F, (byte)'0', (byte)'8', (byte)'0', (byte)'0'];

    [Fact]
    public void A_v1_tcp4_header_gives_the_client_and_ends_at_its_crlf()
    {
        var bytes = Ascii("PROXY TCP4 203.0.113.9 192.0.2.1 51234 8583\r\n", TerminalBytes);

        var header = Complete(bytes);

        Assert.Equal((1, ProxyHeaderCommand.Proxied), (header.Version, header.Command));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.9"), 51234), header.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 8583), header.Destination);
        Assert.Equal(bytes.Length - TerminalBytes.Length, header.Length);
    }

    [Fact]
    public void A_v1_tcp6_header_gives_the_client()
    {
        var header = Complete(Ascii("PROXY TCP6 2001:db8::9 2001:db8::1 65535 0\r\n"));

        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::9"), 65535), header.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 0), header.Destination);
    }

    [Theory]
    [InlineData("PROXY UNKNOWN\r\n")]
    [InlineData("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n")]
    public void A_v1_unknown_header_leaves_the_proxys_own_address(string text)
    {
        var header = Complete(Ascii(text, TerminalBytes));

        Assert.Equal(ProxyHeaderCommand.Unknown, header.Command);
        Assert.Null(header.Source);
        Assert.Equal(text.Length, header.Length);
    }

    [Fact]
    public void The_longest_v1_header_is_read_and_one_byte_more_without_a_crlf_is_oversized()
    {
        // The specification's worst case: UNKNOWN followed by the longest addresses and ports.
        var longest = "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
        Assert.Equal(ProxyHeaderParser.MaxV1Length, longest.Length);
        Assert.Equal(longest.Length, Complete(Ascii(longest)).Length);
        Assert.Equal(104, Complete(Ascii(longest.Replace("UNKNOWN", "TCP6", StringComparison.Ordinal))).Length);

        var unterminated = Ascii("PROXY UNKNOWN " + new string('x', ProxyHeaderParser.MaxV1Length));

        Assert.Equal(ProxyHeaderStatus.NeedMoreData, Parse(unterminated.AsSpan(0, ProxyHeaderParser.MaxV1Length - 1).ToArray(), out _, out _));
        Assert.Equal(ProxyHeaderStatus.Invalid, Parse(unterminated, out _, out var error));
        Assert.Equal(ProxyHeaderError.Oversized, error);
    }

    [Theory]
    [InlineData("PROXY TCP4 203.0.113.9 192.0.2.1 51234 8583\r\n")]
    [InlineData("PROXY UNKNOWN\r\n")]
    public void A_v1_header_cut_anywhere_needs_more_data_in_whatever_pieces_it_came(string text)
    {
        var bytes = Ascii(text);
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.Equal(ProxyHeaderStatus.NeedMoreData, Parse(bytes[..cut], out _, out _));
        }

        Assert.Equal(ProxyHeaderStatus.Complete, ProxyHeaderParser.TryParse(OneBytePerSegment(bytes), out var header, out _));
        Assert.Equal(bytes.Length, header.Length);
    }

    [Theory]
    [InlineData("PROXY TCP4 203.0.113.9 192.0.2.1 51234\r\n")] // a field missing
    [InlineData("PROXY TCP4 203.0.113.9 192.0.2.1 51234 8583 9\r\n")] // one too many
    [InlineData("PROXY TCP4 203.0.113.9  192.0.2.1 51234 8583\r\n")] // two spaces
    [InlineData("PROXY TCP4 203.0.113 192.0.2.1 51234 8583\r\n")] // three octets
    [InlineData("PROXY TCP4 203.0.113.09 192.0.2.1 51234 8583\r\n")] // a leading zero (octal to some parsers)
    [InlineData("PROXY TCP4 203.0.113.256 192.0.2.1 51234 8583\r\n")]
    [InlineData("PROXY TCP4 2001:db8::9 192.0.2.1 51234 8583\r\n")] // the family is not the address's
    [InlineData("PROXY TCP6 203.0.113.9 2001:db8::1 51234 8583\r\n")]
    [InlineData("PROXY TCP6 fe80::1%eth0 2001:db8::1 51234 8583\r\n")]
    [InlineData("PROXY TCP4 203.0.113.9 192.0.2.1 65536 8583\r\n")]
    [InlineData("PROXY TCP4 203.0.113.9 192.0.2.1 -1 8583\r\n")]
    [InlineData("PROXY TCP5 203.0.113.9 192.0.2.1 51234 8583\r\n")]
    [InlineData("PROXY tcp4 203.0.113.9 192.0.2.1 51234 8583\r\n")]
    [InlineData("PROXY TCP4 203.0.113.9 192.0.2.1 51234 8583\n")] // a lone LF
    [InlineData("PROXY \r\n")]
    public void A_v1_header_the_specification_does_not_allow_is_malformed(string text)
    {
        Assert.Equal(ProxyHeaderStatus.Invalid, Parse(Ascii(text), out _, out var error));
        Assert.Equal(ProxyHeaderError.Malformed, error);
    }

    [Fact]
    public void A_v2_proxy_header_over_ipv4_gives_the_client_and_skips_its_tlvs()
    {
        // PP2_TYPE_AUTHORITY "atm.example" and a PP2_TYPE_NOOP, after the 12-byte address block.
        byte[] tlvs = [0x02, 0x00, 0x0B, .. "atm.example"u8, 0x04, 0x00, 0x02, 0x00, 0x00];
        var bytes = V2(command: 1, family: 0x11, [203, 0, 113, 9, 192, 0, 2, 1, 0xC8, 0x22, 0x21, 0x87, .. tlvs], TerminalBytes);

        var header = Complete(bytes);

        Assert.Equal((2, ProxyHeaderCommand.Proxied), (header.Version, header.Command));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.9"), 0xC822), header.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 8583), header.Destination);
        Assert.Equal(bytes.Length - TerminalBytes.Length, header.Length);
    }

    [Fact]
    public void A_v2_proxy_header_over_ipv6_gives_the_client()
    {
        byte[] block = [.. IPAddress.Parse("2001:db8::9").GetAddressBytes(), .. IPAddress.Parse("2001:db8::1").GetAddressBytes(), 0x01, 0xBB, 0x21, 0x87];

        var header = Complete(V2(command: 1, family: 0x21, block));

        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::9"), 443), header.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 8583), header.Destination);
    }

    [Theory]
    [InlineData(0x00, 0)] // LOCAL as HAProxy's health checks send it: no address block
    [InlineData(0x11, 12)] // LOCAL with an address block, which is ignored
    public void A_v2_local_header_leaves_the_proxys_own_address(byte family, int blockLength)
    {
        var header = Complete(V2(command: 0, family, new byte[blockLength], TerminalBytes));

        Assert.Equal(ProxyHeaderCommand.Local, header.Command);
        Assert.Null(header.Source);
        Assert.Equal(16 + blockLength, header.Length);
    }

    [Theory]
    [InlineData(0x00, 0)] // UNSPEC
    [InlineData(0x31, 216)] // a UNIX socket
    public void A_v2_header_of_a_family_without_an_ip_address_leaves_the_proxys_own_address(byte family, int blockLength)
    {
        var header = Complete(V2(command: 1, family, new byte[blockLength]));

        Assert.Equal(ProxyHeaderCommand.Unknown, header.Command);
        Assert.Null(header.Source);
    }

    [Fact]
    public void A_v2_header_cut_anywhere_needs_more_data_in_whatever_pieces_it_came()
    {
        var bytes = V2(command: 1, family: 0x11, [203, 0, 113, 9, 192, 0, 2, 1, 0xC8, 0x22, 0x21, 0x87]);
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            Assert.Equal(ProxyHeaderStatus.NeedMoreData, Parse(bytes[..cut], out _, out _));
        }

        Assert.Equal(ProxyHeaderStatus.Complete, ProxyHeaderParser.TryParse(OneBytePerSegment(bytes), out var header, out _));
        Assert.Equal(IPAddress.Parse("203.0.113.9"), header.Source!.Address);
    }

    [Fact]
    public void A_v2_header_announcing_more_than_the_host_reads_is_oversized_before_its_payload_arrives()
    {
        var fixedPart = V2(command: 1, family: 0x11, [])[..16];
        fixedPart[14] = (ProxyHeaderParser.MaxV2PayloadLength + 1) >> 8;
        fixedPart[15] = (ProxyHeaderParser.MaxV2PayloadLength + 1) & 0xFF;

        Assert.Equal(ProxyHeaderStatus.Invalid, Parse(fixedPart, out _, out var error));
        Assert.Equal(ProxyHeaderError.Oversized, error);
    }

    [Theory]
    [InlineData(0x11, 0x11, 12)] // version 1 in a v2 signature
    [InlineData(0x22, 0x11, 12)] // command 2
    [InlineData(0x21, 0x41, 12)] // family 4
    [InlineData(0x21, 0x13, 12)] // transport 3
    [InlineData(0x21, 0x12, 12)] // a datagram on a stream listener
    [InlineData(0x21, 0x11, 11)] // an IPv4 block cut short
    [InlineData(0x21, 0x21, 35)] // an IPv6 block cut short
    public void A_v2_header_the_specification_does_not_allow_is_malformed(byte versionAndCommand, byte family, int blockLength)
    {
        var bytes = V2(command: 1, family, new byte[blockLength]);
        bytes[12] = versionAndCommand;

        Assert.Equal(ProxyHeaderStatus.Invalid, Parse(bytes, out _, out var error));
        Assert.Equal(ProxyHeaderError.Malformed, error);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x2F, 0x30, 0x38 })] // an ISO 8583 frame
    [InlineData(new byte[] { 0x16, 0x03, 0x01 })] // a TLS ClientHello
    [InlineData(new byte[] { (byte)'G', (byte)'E', (byte)'T' })]
    [InlineData(new byte[] { (byte)'P', (byte)'R', (byte)'O', (byte)'X', (byte)'Y', (byte)'\t' })]
    [InlineData(new byte[] { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0D })] // v2 but its last byte
    [InlineData(new byte[] { (byte)'P', (byte)'R', (byte)'O', (byte)'B' })] // refused at its fourth byte, without waiting for more
    public void Bytes_that_are_no_proxy_signature_are_refused_as_soon_as_they_show_it(byte[] bytes)
    {
        Assert.Equal(ProxyHeaderStatus.Invalid, Parse(bytes, out _, out var error));
        Assert.Equal(ProxyHeaderError.WrongSignature, error);
    }

    [Fact]
    public void Nothing_yet_needs_more_data() => Assert.Equal(ProxyHeaderStatus.NeedMoreData, Parse([], out _, out _));

    private static ProxyHeader Complete(byte[] bytes)
    {
        Assert.Equal(ProxyHeaderStatus.Complete, Parse(bytes, out var header, out var error));
        Assert.Equal(ProxyHeaderError.None, error);
        return header;
    }

    private static ProxyHeaderStatus Parse(byte[] bytes, out ProxyHeader header, out ProxyHeaderError error) =>
        ProxyHeaderParser.TryParse(new ReadOnlySequence<byte>(bytes), out header, out error);

    private static byte[] Ascii(string text, byte[]? after = null) => [.. Encoding.ASCII.GetBytes(text), .. after ?? []];

    /// <summary>A v2 header: signature, version 2 and <paramref name="command"/>, <paramref name="family"/>, the length of <paramref name="block"/>, then it.</summary>
    private static byte[] V2(int command, byte family, byte[] block, byte[]? after = null) =>
        [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, (byte)(0x20 | command), family, (byte)(block.Length >> 8), (byte)block.Length, .. block, .. after ?? []];

    private static ReadOnlySequence<byte> OneBytePerSegment(byte[] bytes)
    {
        var first = new Segment(bytes[..1], 0);
        var last = first;
        for (var i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes[i..(i + 1)]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
