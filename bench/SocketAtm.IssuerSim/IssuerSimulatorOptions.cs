using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SocketAtm.IssuerSim.Faults;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim;

/// <summary>How one issuer simulator listens, which keys it holds, where its book lives and which faults it injects.</summary>
public sealed class IssuerSimulatorOptions
{
    /// <summary>The port the host's demo route expects its issuer on.</summary>
    public const int DefaultPort = 8584;

    /// <summary>Address to listen on; loopback by default.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 picks a free one (tests).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Directory of the book (<c>issuer-book.db</c> and its log), created when missing.</summary>
    public string DataDirectory { get; init; } = "issuer-data";

    /// <summary>The zone PIN key DE 52 is encrypted under (16 bytes). Null: the published demo ZPK, on loopback only.</summary>
    public byte[]? ZonePinKey { get; init; }

    /// <summary>The zone MAC key: when set, financial requests must carry a valid DE 64/128 and their answers are signed.</summary>
    public byte[]? ZoneMacKey { get; init; }

    /// <summary>The largest frame accepted, and the size an oversize bad answer exceeds: the host's MaxFrame.</summary>
    public int MaxFrameLength { get; init; } = LengthPrefixedFrameReader.DefaultMaxFrameLength;

    /// <summary>
    /// When set, every stand-in advice (0220/0221) is answered with this DE 39 and nothing is booked, so that a test can
    /// make the acquirer keep its advices as exceptions. Two digits, not 00. Null: advices are booked.
    /// </summary>
    public string? RefuseAdvices { get; init; }

    /// <summary>When set, every reversal advice (0420/0421) is answered with this DE 39 and nothing is booked. Two digits, not 00.</summary>
    public string? RefuseReversals { get; init; }

    /// <summary>Faults to inject; none by default.</summary>
    public FaultOptions Faults { get; init; } = new();

    /// <summary>Where the simulator says what it does (never a PAN unmasked, a PIN block or a key).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>The ZPK in force: the configured one, else the demo ZPK when listening on loopback.</summary>
    internal byte[] EffectiveZonePinKey => ZonePinKey ?? IssuerDemoData.ZonePinKey();

    /// <summary>The first thing wrong with these options as one readable line, or null.</summary>
    public string? Problem()
    {
        if (Port is < 0 or > 65535)
        {
            return $"--port must be 0–65535, not {Port}.";
        }

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            return "--data must name a directory for the book.";
        }

        if (ZonePinKey is null && !IPAddress.IsLoopback(Address))
        {
            return $"Listening on {Address}, off loopback, needs a zone PIN key (--zpk or --zpk-file): the demo ZPK is for loopback only.";
        }

        if (ZonePinKey is { Length: not ZoneKeys.Length } || ZoneMacKey is { Length: not ZoneKeys.Length })
        {
            return "A zone key (--zpk, --zak) is 32 hex digits, a double-length key.";
        }

        if (MaxFrameLength is < 64 or > ushort.MaxValue - 1)
        {
            return $"--max-frame must be 64–65534, not {MaxFrameLength}.";
        }

        foreach (var (name, code) in new[] { ("--refuse-advices", RefuseAdvices), ("--refuse-reversals", RefuseReversals) })
        {
            if (code is not null && (code.Length != 2 || !char.IsAsciiDigit(code[0]) || !char.IsAsciiDigit(code[1]) || code == ResponseCodes.Approved))
            {
                return $"{name} takes the response code to refuse with, two digits other than 00 (e.g. 12 or 30), not '{code}'.";
            }
        }

        return Faults.Problem();
    }
}
