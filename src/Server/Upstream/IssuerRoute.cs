using System.Security.Cryptography;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Masking;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Routing;

namespace SocketAtm.Server.Upstream;

/// <summary>
/// One issuer reached over its own pool of connections. <see cref="ExchangeAsync"/> sends a request the caller built
/// (with <see cref="NextStan"/> and the builders of <see cref="UpstreamRequests"/>) and ends with exactly one
/// <see cref="UpstreamReply"/>; beyond <c>MaxInFlight</c> waiting requests, with no connection signed on, or — for a
/// financial request — while its <see cref="RouteBreaker"/> holds it back, nothing is sent. The route's zone keys live
/// here, never logged.
/// </summary>
internal sealed class IssuerRoute : IDisposable
{
    private readonly byte[] _zonePinKey;
    private readonly byte[]? _zoneMacKey;
    private readonly UpstreamConnection[] _connections;
    private readonly StanSequence _stans = new();
    private readonly int _maxInFlight;
    private int _inFlight;
    private int _nextConnection;
    private volatile bool _stopping;

    public IssuerRoute(RouteOptions options, string setting, RouteContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        Name = options.Name ?? throw new ArgumentException("A route needs a name.", nameof(options));
        AcquirerId = options.AcquirerId ?? throw new ArgumentException("A route needs an acquirer id.", nameof(options));
        Bins = [.. options.Bins];
        Endpoints = [.. options.Endpoints.Select(text => IssuerEndpoint.TryParse(text, out var endpoint) ? endpoint : throw new ArgumentException($"{setting}:Endpoints '{text}' is not host:port.", nameof(options)))];
        Timeout = options.Timeout;
        EchoInterval = options.EchoInterval;
        Backoff = new ReconnectBackoff(options.ReconnectDelay, options.MaxReconnectDelay);
        Saf = SafSchedule.Of(options);
        _maxInFlight = options.MaxInFlight;
        _zonePinKey = ZoneKey.Load(options.ZonePinKey, options.ZonePinKeyFile, setting + ":ZonePinKey")
            ?? throw new InvalidDataException($"{setting}:ZonePinKey is not set.");
        _zoneMacKey = ZoneKey.Load(options.ZoneMacKey, options.ZoneMacKeyFile, setting + ":ZoneMacKey");
        Tls = options.Tls.Enabled ? UpstreamTlsCertificates.Load(options.Tls, setting) : null;
        Context = context;
        Breaker = new RouteBreaker(options.BreakerFailures, options.BreakerWindow, options.BreakerOpenFor, context);
        _connections = [.. Enumerable.Range(0, options.Connections).Select(number => new UpstreamConnection(this, number))];
    }

    public string Name { get; }

    /// <summary>DE 32 the host sends this issuer.</summary>
    public string AcquirerId { get; }

    public IReadOnlyList<string> Bins { get; }

    public IReadOnlyList<IssuerEndpoint> Endpoints { get; }

    public TimeSpan Timeout { get; }

    public TimeSpan EchoInterval { get; }

    /// <summary>How the SAF worker delivers what the acquirer owes this issuer.</summary>
    public SafSchedule Saf { get; }

    /// <summary>The ZPK the PIN block is translated to; internal to the host, never logged (its KCV may be).</summary>
    internal ReadOnlySpan<byte> ZonePinKey => _zonePinKey;

    public string ZonePinKeyCheckValue => KeyCheckValue.ToHex(_zonePinKey);

    public bool MacsMessages => _zoneMacKey is not null;

    public RouteLinkState LinkState => Context.State;

    /// <summary>
    /// Whether a financial request would be sent now, for a caller deciding per request (cheap: a few field reads). A
    /// request may still end "not sent" after <see cref="RouteAvailability.Available"/>: another may have taken the
    /// breaker's one probe, or the last connection dropped, meanwhile.
    /// </summary>
    public RouteAvailability Availability =>
        !AnySignedOn() ? RouteAvailability.LinkDown
        : Breaker.IsRefusing ? RouteAvailability.BreakerOpen
        : RouteAvailability.Available;

    internal RouteContext Context { get; }

    internal RouteBreaker Breaker { get; }

    internal ReconnectBackoff Backoff { get; }

    internal UpstreamTlsCertificates? Tls { get; }

    internal IReadOnlyList<UpstreamConnection> Connections => _connections;

    /// <summary>The acquirer's next DE 11 towards this issuer (1–999999, wrapping).</summary>
    public int NextStan() => _stans.Next();

    /// <summary>
    /// Sends <paramref name="request"/> as built — nothing the caller set is changed; the MAC is added when the route
    /// has a ZAK — and waits for its answer up to the route's timeout. The answer of <see cref="UpstreamOutcome.Answered"/>
    /// is the caller's; an answer that fails the contract's checks is <see cref="UpstreamOutcome.Untrusted"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The request has no DE 11 or DE 7 as digits (it could not be matched).</exception>
    public async ValueTask<UpstreamReply> ExchangeAsync(IsoMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = CorrelationKey.OfRequest(request);
        if (_stopping)
        {
            return Count(request, UpstreamReply.NotSent(NotSentReason.ShuttingDown));
        }

        if (Interlocked.Increment(ref _inFlight) > _maxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            return Count(request, UpstreamReply.NotSent(NotSentReason.InFlightCap));
        }

        try
        {
            if (PickSignedOn() is not { } session)
            {
                return Count(request, UpstreamReply.NotSent(NotSentReason.NoSignedOnConnection));
            }

            var ticket = Breaker.TryPass(request.Mti);
            if (ticket == BreakerTicket.Refused)
            {
                return Count(request, UpstreamReply.NotSent(NotSentReason.BreakerOpen));
            }

            UpstreamReply reply;
            try
            {
                reply = await SendAsync(session, request, key, cancellationToken);
            }
            catch
            {
                // Whatever escaped, the probe's place must not stay taken.
                Breaker.Ended(ticket, UpstreamReply.NotSent(NotSentReason.Cancelled));
                throw;
            }

            Breaker.Ended(ticket, reply);
            return Count(request, reply);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Requests waiting for an answer now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The PAN of a request, masked, for the caller's own logs.</summary>
    public static string MaskedPan(IsoMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SensitiveData.MaskPan(request.Get(DataElements.PrimaryAccountNumber));
    }

    internal IsoMessage NetworkManagement(int code) => NetworkManagementRequests.Build(code, NextStan(), Context.Time.GetUtcNow(), AcquirerId);

    /// <summary>From now on every request is <see cref="NotSentReason.ShuttingDown"/>.</summary>
    internal void StopAccepting() => _stopping = true;

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_zonePinKey);
        if (_zoneMacKey is not null)
        {
            CryptographicOperations.ZeroMemory(_zoneMacKey);
        }

        Tls?.Dispose();
        Breaker.Dispose();
    }

    /// <summary>The link state with the breaker's, as <c>admin routes</c> and the status file show it.</summary>
    public RouteLinkStatus Status() => LinkState.Snapshot() with { Breaker = Breaker.State, BreakerOpens = Breaker.Opens };

    /// <summary>The exchange on <paramref name="session"/>, its answer checked against the contract.</summary>
    private async ValueTask<UpstreamReply> SendAsync(LinkSession session, IsoMessage request, CorrelationKey key, CancellationToken cancellationToken)
    {
        var (reply, answer) = await session.ExchangeAsync(request, key, _zoneMacKey, Timeout, cancellationToken);
        if (answer is null)
        {
            return reply;
        }

        var untrusted = AnswerChecks.Check(request, answer, _zoneMacKey);
        if (untrusted != UntrustedReason.None)
        {
            if (Context.ShouldLog(session.Endpoint, "untrusted_" + untrusted))
            {
                UpstreamLog.UntrustedAnswer(Context.Logger, Name, MessageTypes.Format(answer.Mti), request.GetString(DataElements.Stan) ?? "-", untrusted.ToString());
            }

            return UpstreamReply.Untrusted(untrusted);
        }

        return UpstreamReply.Answered(answer);
    }

    private bool AnySignedOn()
    {
        foreach (var connection in _connections)
        {
            if (connection.SignedOn is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The next signed-on connection, round robin; null when none is.</summary>
    private LinkSession? PickSignedOn()
    {
        var start = (int)((uint)Interlocked.Increment(ref _nextConnection) % (uint)_connections.Length);
        for (var offset = 0; offset < _connections.Length; offset++)
        {
            if (_connections[(start + offset) % _connections.Length].SignedOn is { } session)
            {
                return session;
            }
        }

        return null;
    }

    private UpstreamReply Count(IsoMessage request, UpstreamReply reply)
    {
        var metrics = Context.Metrics;
        var state = Context.State;
        if (reply.Outcome != UpstreamOutcome.NotSent)
        {
            state.CountRequest();
            metrics.RequestSent(Name, request.Mti);
        }

        switch (reply.Outcome)
        {
            case UpstreamOutcome.Answered:
                state.CountAnswered();
                metrics.Answered(Name, reply.Answer!.Mti, reply.Answer.GetString(DataElements.ResponseCode) ?? "");
                break;
            case UpstreamOutcome.TimedOut:
                state.CountTimedOut();
                metrics.TimedOut(Name, ReasonTag(reply.TimedOutReason));
                break;
            case UpstreamOutcome.NotSent:
                state.CountNotSent();
                metrics.NotSent(Name, ReasonTag(reply.NotSentReason));
                break;
            default:
                state.CountUntrusted();
                metrics.Untrusted(Name, ReasonTag(reply.UntrustedReason));
                break;
        }

        return reply;
    }

    private static string ReasonTag<T>(T reason)
        where T : struct, Enum => UpstreamReasonTags.Of(reason);
}
