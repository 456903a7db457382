using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SocketAtm.Client;

/// <summary>How a <see cref="TerminalConnection"/> reaches the host and keeps the link up.</summary>
public sealed record TerminalConnectionOptions
{
    /// <summary>Host name or IP address of the authorization host.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port of the authorization host.</summary>
    public int Port { get; init; } = 8583;

    /// <summary>
    /// Further hosts as <c>host:port</c>, tried in turn after <see cref="Host"/>:<see cref="Port"/> when a connection
    /// attempt fails or a link is lost: terminals fail over to another host of a scaled-out deployment, sign on
    /// there, and repeat or reverse what was in flight as after any reconnect.
    /// </summary>
    public IReadOnlyList<string> FailoverHosts { get; init; } = [];

    /// <summary>
    /// The local address the connection's socket is bound to before connecting, or null to let the system choose. For a
    /// machine with several addresses; the load harness uses it to spread many connections over loopback addresses
    /// (127.0.0.2, 127.0.0.3, …) so that a host's per-address connection cap does not refuse them. Ignored when
    /// <see cref="OpenStream"/> is set.
    /// </summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>
    /// Opens the transport instead of a plain TCP connection to <see cref="Host"/>:<see cref="Port"/> — for TLS
    /// (return an authenticated <see cref="System.Net.Security.SslStream"/>) or an in-memory stream in tests.
    /// Every reconnect calls it again.
    /// </summary>
    public Func<CancellationToken, ValueTask<Stream>>? OpenStream { get; init; }

    /// <summary>TLS settings when the host listens with TLS; null for plain TCP. Ignored when <see cref="OpenStream"/> is set.</summary>
    public TlsClientOptions? Tls { get; init; }

    /// <summary>How long one connection attempt may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After this long without sending anything, the connection sends an echo (0800, DE 70 = 301) for one of its
    /// terminals; an echo without an answer drops the link and reconnects. <see cref="Timeout.InfiniteTimeSpan"/> disables echoes.
    /// </summary>
    public TimeSpan EchoInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The pause before the first reconnect; each failed attempt doubles it, up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest pause between reconnect attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long sign-off may take when the connection is disposed.</summary>
    public TimeSpan SignOffTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The largest response accepted, in bytes; a larger length header drops the link.</summary>
    public int MaxFrameLength { get; init; } = Protocol.Framing.LengthPrefixedFrameReader.DefaultMaxFrameLength;

    /// <summary>The clock for timeouts, echoes, back-off and DE 7 / DE 12 / DE 13.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the client logs. PANs are masked; PINs, PIN blocks, MACs and keys are never logged.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    internal void Validate()
    {
        if (OpenStream is null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(Host, nameof(Host));
            ArgumentOutOfRangeException.ThrowIfLessThan(Port, 1, nameof(Port));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535, nameof(Port));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero, nameof(ConnectTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectDelay, TimeSpan.Zero, nameof(ReconnectDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxReconnectDelay, ReconnectDelay, nameof(MaxReconnectDelay));
        if (EchoInterval != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(EchoInterval, TimeSpan.Zero, nameof(EchoInterval));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(LoggerFactory, nameof(LoggerFactory));
    }
}
