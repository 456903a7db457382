using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SocketAtm.Server.Diagnostics;

/// <summary>The upstream links' instruments on the <see cref="AtmMetrics.MeterName"/> meter, each tagged by <c>route</c>.</summary>
internal sealed class UpstreamMetrics
{
    private readonly Counter<long> _requests;
    private readonly Counter<long> _answers;
    private readonly Counter<long> _timeouts;
    private readonly Counter<long> _notSent;
    private readonly Counter<long> _untrusted;
    private readonly Counter<long> _discarded;
    private readonly Counter<long> _linkChanges;
    private readonly UpDownCounter<long> _signedOn;
    private readonly UpDownCounter<long> _breakerState;
    private readonly Counter<long> _breakerOpens;

    public UpstreamMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(AtmMetrics.MeterName);
        _requests = meter.CreateCounter<long>("socketatm.upstream.requests", "{request}", "Requests sent to an issuer, by route and MTI.");
        _answers = meter.CreateCounter<long>("socketatm.upstream.answers", "{answer}", "Trusted issuer answers, by route, MTI and response code.");
        _timeouts = meter.CreateCounter<long>("socketatm.upstream.timeouts", "{request}", "Requests sent without a trusted answer in time, by route and reason (timeout, connection_lost, cancelled, shutting_down).");
        _notSent = meter.CreateCounter<long>("socketatm.upstream.not_sent", "{request}", "Requests not sent, by route and reason.");
        _untrusted = meter.CreateCounter<long>("socketatm.upstream.untrusted", "{answer}", "Matched answers failing the contract's checks, by route and reason.");
        _discarded = meter.CreateCounter<long>("socketatm.upstream.discarded", "{frame}", "Frames from an issuer delivered to no request, by route and reason (late, unmatched, request_mti, unparsable, frame_too_large).");
        _linkChanges = meter.CreateCounter<long>("socketatm.upstream.link.changes", "{change}", "Connections of a route signed on (state=up) or lost (state=down).");
        _signedOn = meter.CreateUpDownCounter<long>("socketatm.upstream.connections.signed_on", "{connection}", "Connections of a route signed on now.");
        _breakerState = meter.CreateUpDownCounter<long>("socketatm.upstream.breaker.state", "{route}", "1 under the state a route's circuit breaker is in now (state=closed, open or half_open), 0 under the others.");
        _breakerOpens = meter.CreateCounter<long>("socketatm.upstream.breaker.opens", "{open}", "Times a route's circuit breaker opened, by route and cause (timeouts, probe_timed_out).");
    }

    public void RequestSent(string route, int mti) => _requests.Add(1, new TagList { { "route", route }, { "mti", mti } });

    public void Answered(string route, int mti, string responseCode) =>
        _answers.Add(1, new TagList { { "route", route }, { "mti", mti }, { "response_code", responseCode } });

    public void TimedOut(string route, string reason) => _timeouts.Add(1, new TagList { { "route", route }, { "reason", reason } });

    public void NotSent(string route, string reason) => _notSent.Add(1, new TagList { { "route", route }, { "reason", reason } });

    public void Untrusted(string route, string reason) => _untrusted.Add(1, new TagList { { "route", route }, { "reason", reason } });

    public void Discarded(string route, string reason) => _discarded.Add(1, new TagList { { "route", route }, { "reason", reason } });

    public void LinkUp(string route)
    {
        _linkChanges.Add(1, new TagList { { "route", route }, { "state", "up" } });
        _signedOn.Add(1, new KeyValuePair<string, object?>("route", route));
    }

    public void LinkDown(string route)
    {
        _linkChanges.Add(1, new TagList { { "route", route }, { "state", "down" } });
        _signedOn.Add(-1, new KeyValuePair<string, object?>("route", route));
    }

    /// <summary>The breaker of <paramref name="route"/> moved from <paramref name="from"/> (null: it was just made) to <paramref name="to"/>.</summary>
    public void BreakerChanged(string route, string? from, string to)
    {
        if (from is not null)
        {
            _breakerState.Add(-1, new TagList { { "route", route }, { "state", from } });
        }

        _breakerState.Add(1, new TagList { { "route", route }, { "state", to } });
    }

    public void BreakerOpened(string route, string cause) => _breakerOpens.Add(1, new TagList { { "route", route }, { "cause", cause } });
}
