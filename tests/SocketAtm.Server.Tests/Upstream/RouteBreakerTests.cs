using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Tests.Transport;
using SocketAtm.Server.Upstream;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Upstream;

/// <summary>
/// A route's circuit breaker on fake time: N financial timeouts in a row within the window open it, an answer resets the
/// count, after the open time exactly one probe goes, its answer closes it and its timeout opens it again.
/// </summary>
public sealed class RouteBreakerTests : IDisposable
{
    private const int Failures = 3;
    private const string Route = "test-issuer";
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(15);
    private static readonly UpstreamReply Answer = UpstreamReply.Answered(new IsoMessage { Mti = MessageTypes.FinancialResponse });
    private static readonly UpstreamReply Timeout = UpstreamReply.TimedOut(TimedOutReason.Timeout);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 14, 9, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly RecordingLoggerProvider _log = new();
    private readonly CounterTotals _counters;
    private readonly RouteBreaker _breaker;
    private int _changes;

    public RouteBreakerTests()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        _counters = new CounterTotals(meters);
        var context = new RouteContext(Route, 1, 16, 8192, _time, new UpstreamMetrics(meters), new LogRateLimit(_time), _log.CreateLogger(Route));
        _breaker = new RouteBreaker(Failures, Window, OpenFor, context);
        _breaker.Changed += () => _changes++;
    }

    [Fact]
    public void Failures_timeouts_in_a_row_open_it_and_then_no_financial_request_passes_while_advices_and_echoes_do()
    {
        TimeOut(Failures - 1);
        Assert.Equal(BreakerState.Closed, _breaker.State);
        Assert.Equal(0, _changes);

        TimeOut(1);

        Assert.Equal(BreakerState.Open, _breaker.State);
        Assert.True(_breaker.IsRefusing);
        Assert.Equal(BreakerTicket.Refused, _breaker.TryPass(MessageTypes.FinancialRequest));
        Assert.Equal(BreakerTicket.Refused, _breaker.TryPass(MessageTypes.AuthorizationRequest));
        Assert.Equal(BreakerTicket.Uncounted, _breaker.TryPass(MessageTypes.ReversalAdvice));
        Assert.Equal(BreakerTicket.Uncounted, _breaker.TryPass(MessageTypes.ReversalAdviceRepeat));
        Assert.Equal(BreakerTicket.Uncounted, _breaker.TryPass(MessageTypes.NetworkManagementRequest));
        Assert.Equal(1, _breaker.Opens);
        Assert.Equal(1, _changes);
        Assert.Equal(1, _log.CountOf(6009));
        Assert.Equal(1, _counters.Count("socketatm.upstream.breaker.opens/route=test-issuer/cause=timeouts"));
        Assert.Equal(1, _counters.Count("socketatm.upstream.breaker.state/route=test-issuer/state=open"));
        Assert.Equal(0, _counters.Count("socketatm.upstream.breaker.state/route=test-issuer/state=closed"));
    }

    [Fact]
    public void Timeouts_spread_wider_than_the_window_do_not_open_it_until_the_last_few_fall_within_it()
    {
        TimeOut(1);
        _time.Advance(TimeSpan.FromSeconds(20));
        TimeOut(1);
        _time.Advance(TimeSpan.FromSeconds(20));
        TimeOut(1); // The three span 40 s.

        Assert.Equal(BreakerState.Closed, _breaker.State);

        _time.Advance(TimeSpan.FromSeconds(5));
        TimeOut(1); // The last three span 25 s.

        Assert.Equal(BreakerState.Open, _breaker.State);
    }

    [Fact]
    public void An_answer_trusted_or_not_resets_the_count_of_timeouts_in_a_row()
    {
        TimeOut(Failures - 1);
        End(BreakerTicket.Counted, Answer);
        TimeOut(Failures - 1);
        End(BreakerTicket.Counted, UpstreamReply.Untrusted(UntrustedReason.BadMac));
        TimeOut(Failures - 1);

        Assert.Equal(BreakerState.Closed, _breaker.State);

        TimeOut(1);

        Assert.Equal(BreakerState.Open, _breaker.State);
    }

    [Theory]
    [InlineData(nameof(TimedOutReason.ConnectionLost))]
    [InlineData(nameof(TimedOutReason.Cancelled))]
    [InlineData(nameof(TimedOutReason.ShuttingDown))]
    public void Only_the_budget_running_out_counts_other_ends_neither_count_nor_reset(string reasonName)
    {
        var reason = Enum.Parse<TimedOutReason>(reasonName);
        TimeOut(Failures - 1);
        for (var i = 0; i < Failures; i++)
        {
            End(BreakerTicket.Counted, UpstreamReply.TimedOut(reason));
        }

        Assert.Equal(BreakerState.Closed, _breaker.State);

        TimeOut(1);

        Assert.Equal(BreakerState.Open, _breaker.State);
    }

    [Fact]
    public void After_the_open_time_it_is_half_open_and_lets_exactly_one_financial_request_through()
    {
        Open();

        _time.Advance(OpenFor - TimeSpan.FromMilliseconds(1));
        Assert.Equal(BreakerState.Open, _breaker.State);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(BreakerState.HalfOpen, _breaker.State);
        Assert.False(_breaker.IsRefusing);
        Assert.Equal(1, _log.CountOf(6011));
        Assert.Equal(BreakerTicket.Probe, _breaker.TryPass(MessageTypes.FinancialRequest));
        Assert.True(_breaker.IsRefusing);
        Assert.Equal(BreakerTicket.Refused, _breaker.TryPass(MessageTypes.FinancialRequest));
        Assert.Equal(BreakerTicket.Refused, _breaker.TryPass(MessageTypes.AuthorizationRequest));
        Assert.Equal(BreakerTicket.Uncounted, _breaker.TryPass(MessageTypes.ReversalAdvice));
        Assert.Equal(1, _counters.Count("socketatm.upstream.breaker.state/route=test-issuer/state=half_open"));
    }

    [Fact]
    public void The_probe_answered_closes_it_with_the_count_started_over()
    {
        var probe = HalfOpenProbe();

        End(probe, Answer);

        Assert.Equal(BreakerState.Closed, _breaker.State);
        Assert.Equal(BreakerTicket.Counted, _breaker.TryPass(MessageTypes.FinancialRequest));
        Assert.Equal(1, _log.CountOf(6012));
        Assert.Equal(1, _counters.Count("socketatm.upstream.breaker.state/route=test-issuer/state=closed"));
        Assert.Equal(0, _counters.Count("socketatm.upstream.breaker.state/route=test-issuer/state=half_open"));
        TimeOut(Failures - 1);
        Assert.Equal(BreakerState.Closed, _breaker.State);
    }

    [Fact]
    public void The_probe_timed_out_opens_it_again_for_the_open_time()
    {
        var probe = HalfOpenProbe();

        End(probe, Timeout);

        Assert.Equal(BreakerState.Open, _breaker.State);
        Assert.Equal(2, _breaker.Opens);
        Assert.Equal(1, _log.CountOf(6010));
        Assert.Equal(1, _counters.Count("socketatm.upstream.breaker.opens/route=test-issuer/cause=probe_timed_out"));
        _time.Advance(OpenFor - TimeSpan.FromMilliseconds(1));
        Assert.Equal(BreakerState.Open, _breaker.State);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(BreakerState.HalfOpen, _breaker.State);
    }

    [Fact]
    public void A_probe_that_ends_in_neither_an_answer_nor_a_timeout_lets_the_next_request_probe()
    {
        var probe = HalfOpenProbe();

        End(probe, UpstreamReply.TimedOut(TimedOutReason.ConnectionLost));

        Assert.Equal(BreakerState.HalfOpen, _breaker.State);
        Assert.Equal(BreakerTicket.Probe, _breaker.TryPass(MessageTypes.FinancialRequest));
    }

    [Fact]
    public void Requests_sent_before_it_opened_change_nothing_when_they_end_later()
    {
        var sentBefore = Enumerable.Range(0, 2).Select(_ => _breaker.TryPass(MessageTypes.FinancialRequest)).ToList();
        Open();

        End(sentBefore[0], Answer);
        Assert.Equal(BreakerState.Open, _breaker.State);
        _time.Advance(OpenFor);
        _breaker.TryPass(MessageTypes.FinancialRequest);
        End(sentBefore[1], Answer);

        Assert.Equal(BreakerState.HalfOpen, _breaker.State);
        Assert.Equal(1, _breaker.Opens);
    }

    public void Dispose()
    {
        _breaker.Dispose();
        _counters.Dispose();
        _services.Dispose();
    }

    private void Open()
    {
        TimeOut(Failures);
        Assert.Equal(BreakerState.Open, _breaker.State);
    }

    private BreakerTicket HalfOpenProbe()
    {
        Open();
        _time.Advance(OpenFor);
        var probe = _breaker.TryPass(MessageTypes.FinancialRequest);
        Assert.Equal(BreakerTicket.Probe, probe);
        return probe;
    }

    private void TimeOut(int count)
    {
        for (var i = 0; i < count; i++)
        {
            End(_breaker.TryPass(MessageTypes.FinancialRequest), Timeout);
        }
    }

    private void End(BreakerTicket ticket, UpstreamReply reply) => _breaker.Ended(ticket, reply);
}
