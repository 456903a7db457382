using System.Globalization;
using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Composites;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Security;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Handlers;

/// <summary>
/// The handlers' side of the <see cref="ViolationThrottle"/>: counts each bad MAC, stale DE 7 and unknown terminal under
/// its terminal and its address, counts the throttled ones in <c>socketatm.security.events</c> (throttled=true; the ledger
/// counts those it journals), logs one line when throttling starts for a terminal or an address and one when its window
/// ends, and journals each terminal's throttled violations of a window as one row (<see cref="JournalDisposition"/>
/// Throttled). Windows that have ended are taken when the next violation comes and by a timer every quarter window
/// (<see cref="Start"/>); whatever is left when the host stops is journaled then (<see cref="StopAsync"/>).
/// </summary>
internal sealed class ThrottledViolations : IViolationWatch, IAsyncDisposable
{
    public const string MacReason = "mac";
    public const string StaleReason = "stale_transmission";
    public const string UnknownTerminalReason = "unknown_terminal";
    public const string UnauthenticatedTerminalReason = "unauthenticated_terminal";

    private const string NoAddress = "an unknown address";

    private readonly ILedger _ledger;
    private readonly AtmMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _timerLock = new();
    private readonly HashSet<Task> _reporting = [];
    private ITimer? _sweep;

    public ThrottledViolations(ViolationThrottleOptions options, ILedger ledger, AtmMetrics metrics, TimeProvider time, ILogger<ThrottledViolations> logger)
    {
        Throttle = new ViolationThrottle(options, time);
        _ledger = ledger;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public ViolationThrottle Throttle { get; }

    /// <summary>A MAC terminal's request whose MAC is missing or wrong; true when it is throttled (answered 63 at once, not journaled or logged).</summary>
    public bool MacFailure(MessageContext context) => Recorded(context, ViolationReason.Mac, MacReason);

    /// <summary>
    /// A financial request of a terminal without a MAC key over a connection that does not vouch for it; true when it is
    /// throttled (answered 58 at once, not journaled).
    /// </summary>
    public bool UnauthenticatedTerminal(MessageContext context) =>
        Recorded(context, ViolationReason.UnauthenticatedTerminal, UnauthenticatedTerminalReason);

    /// <summary>
    /// An original (not a repeat) whose DE 7 is stale, so a violation whatever the ledger holds; true when it is throttled
    /// (answered 63 at once, not journaled).
    /// </summary>
    public bool StaleOriginal(MessageContext context) => Recorded(context, ViolationReason.Stale, StaleReason);

    /// <summary>
    /// True when a violation of the request's terminal or address now would be throttled: a stale repeat is then sent to
    /// the ledger marked so (<see cref="LedgerRequest.IsThrottled"/>), to get its stored answer if it has one.
    /// </summary>
    public bool IsThrottled(MessageContext context) => Throttle.IsThrottled(context.Terminal?.TerminalId, context.RemoteAddress);

    /// <summary>A stale repeat the ledger held no answer for, refused 63: journaled one by one (<paramref name="journaled"/>) or not.</summary>
    public void StaleRefused(MessageContext context, bool journaled)
    {
        var verdict = Throttle.RecordHandled(context.Terminal?.TerminalId, context.RemoteAddress, ViolationReason.Stale, journaled);
        Handle(context, verdict, StaleReason);
    }

    public bool UnknownTerminal(MessageContext context)
    {
        var verdict = Throttle.Record(null, context.RemoteAddress, ViolationReason.UnknownTerminal);

        // Never journaled (there is no terminal row to journal under), so always counted here.
        if (!verdict.Throttled)
        {
            _metrics.SecurityViolation(UnknownTerminalReason, throttled: false);
        }

        Handle(context, verdict, UnknownTerminalReason);
        return !verdict.Throttled;
    }

    /// <summary>Starts the timer that takes the windows that ended while no violation came.</summary>
    public void Start()
    {
        var period = Throttle.WindowLength / 4;
        lock (_timerLock)
        {
            _sweep ??= _time.CreateTimer(static state => ((ThrottledViolations)state!).TakeEnded(), this, period, period);
        }
    }

    /// <summary>Stops the timer and journals every window with throttled violations, ended or not: the host is stopping.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await DisposeAsync();
        Task[] reporting;
        lock (_timerLock)
        {
            reporting = [.. _reporting];
        }

        // Those the timer or a request began: the ledger must still be open when they reach it.
        await Task.WhenAll(reporting).WaitAsync(cancellationToken);
        foreach (var summary in Throttle.TakeAll())
        {
            await ReportAsync(summary, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        ITimer? sweep;
        lock (_timerLock)
        {
            sweep = _sweep;
            _sweep = null;
        }

        if (sweep is not null)
        {
            await sweep.DisposeAsync();
        }
    }

    private bool Recorded(MessageContext context, ViolationReason reason, string metricReason)
    {
        var verdict = Throttle.Record(context.Terminal?.TerminalId, context.RemoteAddress, reason);
        Handle(context, verdict, metricReason);
        return verdict.Throttled;
    }

    private void Handle(MessageContext context, ViolationVerdict verdict, string metricReason)
    {
        if (verdict.Throttled)
        {
            // Never reaches the ledger's count, which is of the violations journaled one by one.
            _metrics.SecurityViolation(metricReason, throttled: true);
        }

        if (verdict.TerminalThrottlingStarted && context.Terminal is { } terminal)
        {
            ThrottleLog.TerminalThrottled(_logger, terminal.TerminalId, Throttle.Threshold, Throttle.WindowLength, context.RemoteAddress ?? NoAddress);
        }

        if (verdict.AddressThrottlingStarted && context.RemoteAddress is { } address)
        {
            ThrottleLog.AddressThrottled(_logger, address, Throttle.Threshold, Throttle.WindowLength);
        }

        if (verdict.SummariesPending)
        {
            TakeEnded();
        }
    }

    /// <summary>Takes the windows that have ended and reports them, off the caller's path (a request's, or the timer's).</summary>
    private void TakeEnded()
    {
        var ended = Throttle.TakeEnded();
        if (ended.Count == 0)
        {
            return;
        }

        var reporting = ReportAllAsync(ended);
        lock (_timerLock)
        {
            _reporting.Add(reporting);
        }

        reporting.ContinueWith(
            (done, state) =>
            {
                var self = (ThrottledViolations)state!;
                lock (self._timerLock)
                {
                    self._reporting.Remove(done);
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task ReportAllAsync(IReadOnlyList<ViolationSummary> summaries)
    {
        foreach (var summary in summaries)
        {
            await ReportAsync(summary, CancellationToken.None);
        }
    }

    /// <summary>Logs an ended window; a terminal's is journaled too, as one row (never a PAN: only counts and the address).</summary>
    private async Task ReportAsync(ViolationSummary summary, CancellationToken cancellationToken)
    {
        if (!summary.IsTerminal)
        {
            ThrottleLog.AddressThrottlingEnded(
                _logger, summary.Key, summary.Throttled, summary.Mac, summary.Stale, summary.UnknownTerminal, summary.Window, summary.StartedAt, summary.Journaled);
            return;
        }

        var detail = summary.Detail;
        ThrottleLog.TerminalThrottlingEnded(_logger, summary.Key, detail);
        try
        {
            var outcome = await _ledger.ExecuteAsync(Row(summary, detail), cancellationToken);
            if (outcome.ResponseCode != ResponseCodes.SecurityViolation)
            {
                ThrottleLog.SummaryNotJournaled(_logger, summary.Key, outcome.ResponseCode, detail);
            }
        }
        catch (Exception exception)
        {
            // The ledger stopped or failed (the host is told by the ledger itself); the log line above keeps the record.
            ThrottleLog.SummaryFailed(_logger, exception, summary.Key, detail);
        }
    }

    /// <summary>
    /// The aggregated row as a request the ledger only journals, keyed by the terminal and the window's start (DE 7's
    /// form), with no STAN, acquirer, MTI or PAN: it stands for many requests, none of which it repeats.
    /// </summary>
    private LedgerRequest Row(ViolationSummary summary, string detail) => new()
    {
        Kind = TransactionKind.SecurityViolation,
        Key = new RequestKey(
            new string('0', OriginalDataElements.AcquirerIdLength),
            summary.Key,
            0,
            summary.StartedAt.UtcDateTime.ToString("MMddHHmmss", CultureInfo.InvariantCulture)),
        Mti = 0,
        Pan = string.Empty,
        IsViolationSummary = true,
        Detail = detail,
        ReceivedAt = _time.GetUtcNow(),
    };
}
