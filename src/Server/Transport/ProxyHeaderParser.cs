using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SocketAtm.Server.Transport;

/// <summary>Whether the bytes read so far hold a PROXY protocol header.</summary>
internal enum ProxyHeaderStatus
{
    NeedMoreData,
    Complete,
    Invalid,
}

/// <summary>
/// Parses the PROXY protocol header a proxy such as HAProxy sends before the client's bytes: v1 ("PROXY TCP4 a b p q\r\n",
/// at most 107 bytes) and v2 (a 12-byte signature, version and command, family, length, addresses, then TLVs that are
/// skipped). Strict: anything the specification does not allow is <see cref="ProxyHeaderStatus.Invalid"/>, decided
/// from the first byte that shows it (a TLS hello or an ISO 8583 frame is refused at its first byte, without waiting).
/// It copies at most the fixed part of a header to the stack; only the resulting addresses are allocated.
/// </summary>
internal static class ProxyHeaderParser
{
    /// <summary>The longest v1 header, CRLF included.</summary>
    public const int MaxV1Length = 107;

    /// <summary>The most address and TLV bytes a v2 header may carry here (HAProxy's own TLVs take a few hundred at most).</summary>
    public const int MaxV2PayloadLength = 2048;

    private const int V2FixedLength = 16;
    private const int V2Inet4Length = 12;
    private const int V2Inet6Length = 36;
    private const int V2UnixLength = 216;

    private static ReadOnlySpan<byte> V1Prefix => "PROXY "u8;

    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>Parses the header at the start of <paramref name="buffer"/>; <see cref="ProxyHeader.Length"/> bytes of it belong to the header.</summary>
    public static ProxyHeaderStatus TryParse(in ReadOnlySequence<byte> buffer, out ProxyHeader header, out ProxyHeaderError error)
    {
        header = default;
        error = ProxyHeaderError.None;
        if (buffer.IsEmpty)
        {
            return ProxyHeaderStatus.NeedMoreData;
        }

        Span<byte> start = stackalloc byte[MaxV1Length];
        var available = (int)Math.Min(buffer.Length, MaxV1Length);
        buffer.Slice(0, available).CopyTo(start);
        start = start[..available];
        var signature = start[0] == V1Prefix[0] ? V1Prefix : V2Signature;
        var compared = Math.Min(available, signature.Length);
        if (!start[..compared].SequenceEqual(signature[..compared]))
        {
            return Fail(ProxyHeaderError.WrongSignature, out error);
        }

        if (compared < signature.Length)
        {
            return ProxyHeaderStatus.NeedMoreData;
        }

        return signature[0] == V1Prefix[0]
            ? ParseV1(start, out header, out error)
            : ParseV2(buffer, start, out header, out error);
    }

    private static ProxyHeaderStatus ParseV1(ReadOnlySpan<byte> start, out ProxyHeader header, out ProxyHeaderError error)
    {
        header = default;
        error = ProxyHeaderError.None;
        var end = start.IndexOf("\r\n"u8);
        var line = end >= 0 ? start[..end] : start.EndsWith((byte)'\r') ? start[..^1] : start; // a CR may wait for its LF
        foreach (var b in line)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return Fail(ProxyHeaderError.Malformed, out error); // a lone CR or LF, or binary: no v1 header
            }
        }

        if (end < 0)
        {
            return start.Length >= MaxV1Length ? Fail(ProxyHeaderError.Oversized, out error) : ProxyHeaderStatus.NeedMoreData;
        }

        var rest = line[V1Prefix.Length..];
        if (rest.StartsWith("UNKNOWN"u8) && (rest.Length == 7 || rest[7] == (byte)' '))
        {
            // The receiver ignores whatever follows UNKNOWN up to the CRLF.
            header = new ProxyHeader(1, ProxyHeaderCommand.Unknown, null, null, end + 2);
            return ProxyHeaderStatus.Complete;
        }

        var family = Field(ref rest);
        var ipv4 = family.SequenceEqual("TCP4"u8);
        if (!ipv4 && !family.SequenceEqual("TCP6"u8))
        {
            return Fail(ProxyHeaderError.Malformed, out error);
        }

        var sourceAddress = Field(ref rest);
        var destinationAddress = Field(ref rest);
        var sourcePort = Field(ref rest);
        var destinationPort = rest; // the last field runs to the CRLF
        if (!TryParseAddress(sourceAddress, ipv4, out var source)
            || !TryParseAddress(destinationAddress, ipv4, out var destination)
            || !TryParsePort(sourcePort, out var fromPort)
            || !TryParsePort(destinationPort, out var toPort))
        {
            return Fail(ProxyHeaderError.Malformed, out error);
        }

        header = new ProxyHeader(1, ProxyHeaderCommand.Proxied, new IPEndPoint(source, fromPort), new IPEndPoint(destination, toPort), end + 2);
        return ProxyHeaderStatus.Complete;
    }

    private static ProxyHeaderStatus ParseV2(in ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> start, out ProxyHeader header, out ProxyHeaderError error)
    {
        header = default;
        error = ProxyHeaderError.None;
        if (start.Length < V2FixedLength)
        {
            return ProxyHeaderStatus.NeedMoreData;
        }

        var version = start[12] >> 4;
        var command = start[12] & 0x0F;
        var family = start[13] >> 4;
        var transport = start[13] & 0x0F;
        var payload = BinaryPrimitives.ReadUInt16BigEndian(start[14..]);
        if (version != 2 || command > 1 || family > 3 || transport > 2)
        {
            return Fail(ProxyHeaderError.Malformed, out error);
        }

        if (payload > MaxV2PayloadLength)
        {
            return Fail(ProxyHeaderError.Oversized, out error);
        }

        var length = V2FixedLength + payload;
        if (buffer.Length < length)
        {
            return ProxyHeaderStatus.NeedMoreData;
        }

        if (command == 0)
        {
            // LOCAL: the proxy's own connection (a health check); whatever address block follows is ignored.
            header = new ProxyHeader(2, ProxyHeaderCommand.Local, null, null, length);
            return ProxyHeaderStatus.Complete;
        }

        var needed = family switch { 1 => V2Inet4Length, 2 => V2Inet6Length, 3 => V2UnixLength, _ => 0 };
        if (payload < needed || (family is 1 or 2 && transport == 2))
        {
            return Fail(ProxyHeaderError.Malformed, out error); // an address block cut short, or a datagram on a stream listener
        }

        if (family is 0 or 3)
        {
            header = new ProxyHeader(2, ProxyHeaderCommand.Unknown, null, null, length);
            return ProxyHeaderStatus.Complete;
        }

        Span<byte> addresses = stackalloc byte[V2Inet6Length];
        addresses = addresses[..needed];
        buffer.Slice(V2FixedLength, needed).CopyTo(addresses);
        var size = family == 1 ? 4 : 16;
        var source = new IPEndPoint(new IPAddress(addresses[..size]), BinaryPrimitives.ReadUInt16BigEndian(addresses[(2 * size)..]));
        var destination = new IPEndPoint(new IPAddress(addresses[size..(2 * size)]), BinaryPrimitives.ReadUInt16BigEndian(addresses[(2 * size + 2)..]));
        header = new ProxyHeader(2, ProxyHeaderCommand.Proxied, source, destination, length);
        return ProxyHeaderStatus.Complete;
    }

    /// <summary>The text up to the next single space, which is consumed; empty when there is none (the header is then malformed).</summary>
    private static ReadOnlySpan<byte> Field(ref ReadOnlySpan<byte> rest)
    {
        var space = rest.IndexOf((byte)' ');
        if (space < 0)
        {
            var none = ReadOnlySpan<byte>.Empty;
            rest = none;
            return none;
        }

        var field = rest[..space];
        rest = rest[(space + 1)..];
        return field;
    }

    /// <summary>A dotted quad without leading zeros (as inet_pton reads it), or an IPv6 address without a scope.</summary>
    private static bool TryParseAddress(ReadOnlySpan<byte> text, bool ipv4, out IPAddress address)
    {
        address = IPAddress.None;
        return ipv4 ? TryParseDottedQuad(text, out address) : TryParseIpv6(text, out address);
    }

    private static bool TryParseDottedQuad(ReadOnlySpan<byte> text, out IPAddress address)
    {
        address = IPAddress.None;
        Span<byte> octets = stackalloc byte[4];
        for (var i = 0; i < 4; i++)
        {
            var dot = text.IndexOf((byte)'.');
            var part = i < 3 ? (dot < 0 ? [] : text[..dot]) : text;
            if (part.Length is < 1 or > 3 || (part.Length > 1 && part[0] == (byte)'0'))
            {
                return false;
            }

            var value = 0;
            foreach (var digit in part)
            {
                if (digit is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }

                value = (value * 10) + (digit - '0');
            }

            if (value > 255)
            {
                return false;
            }

            octets[i] = (byte)value;
            text = i < 3 ? text[(dot + 1)..] : [];
        }

        address = new IPAddress(octets);
        return true;
    }

    private static bool TryParseIpv6(ReadOnlySpan<byte> text, out IPAddress address)
    {
        address = IPAddress.IPv6None;
        if (text.Length is < 2 or > 45)
        {
            return false;
        }

        Span<char> chars = stackalloc char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var c = (char)text[i];
            if (!char.IsAsciiHexDigit(c) && c is not ':' and not '.')
            {
                return false; // no scope ids, brackets or zone names
            }

            chars[i] = c;
        }

        return IPAddress.TryParse(chars, out address!) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    private static bool TryParsePort(ReadOnlySpan<byte> text, out int port)
    {
        port = 0;
        if (text.Length is < 1 or > 5)
        {
            return false;
        }

        foreach (var digit in text)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            port = (port * 10) + (digit - '0');
        }

        return port <= IPEndPoint.MaxPort;
    }

    private static ProxyHeaderStatus Fail(ProxyHeaderError reason, out ProxyHeaderError error)
    {
        error = reason;
        return ProxyHeaderStatus.Invalid;
    }
}
