using System.Diagnostics;

namespace SocketAtm.Server.Diagnostics;

/// <summary>
/// The host's spans on the "SocketAtm" activity source: one root span per terminal request (kind Server), a child for the
/// ledger commit that decided it and one for the call to its issuer (kind Client). Exported only when tracing is configured
/// (<see cref="TracingRegistration"/>): with no listener <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null, and every method here returns or does nothing at once, so the hot path neither slows nor allocates.
/// </summary>
/// <remarks>
/// Tags never carry card data: no PAN (not even masked), PIN block, track data, key or MAC — only the MTI, processing code,
/// terminal id, amount and response codes. Starting a span makes it <see cref="Activity.Current"/>; every start here puts
/// back what was current before, so that a span never becomes the parent of the next request read on the same thread.
/// The request span rides on its pooled context instead, and children name their parent explicitly.
/// </remarks>
internal static class AtmTracing
{
    public const string SourceName = "SocketAtm";

    public const string LedgerCommitSpanName = "ledger commit";

    public const string UpstreamSpanName = "upstream exchange";

    /// <summary>The request's MTI, four digits.</summary>
    public const string MtiTag = "atm.mti";

    public const string ProcessingCodeTag = "atm.processing_code";

    public const string TerminalIdTag = "atm.terminal_id";

    /// <summary>DE 4, in minor units.</summary>
    public const string AmountTag = "atm.amount";

    /// <summary>DE 39 the terminal was answered with (on the request span), or the ledger's decision (on the commit span).</summary>
    public const string ResponseCodeTag = "atm.response_code";

    /// <summary>Set on a request span that ended without an answer (its connection closed first).</summary>
    public const string AbandonedTag = "atm.abandoned";

    /// <summary>How many requests the writer committed together with this one.</summary>
    public const string BatchSizeTag = "atm.ledger.batch_size";

    /// <summary>True when the ledger's queue was full and the request was answered 91 without being queued.</summary>
    public const string SaturatedTag = "atm.ledger.saturated";

    public const string RouteTag = "atm.route";

    /// <summary>answered, not_sent, timed_out or untrusted.</summary>
    public const string UpstreamOutcomeTag = "atm.upstream.outcome";

    /// <summary>Why no trusted answer came (the reason's metric tag: <c>no_signed_on_connection</c>, <c>deadline</c>, …).</summary>
    public const string UpstreamReasonTag = "atm.upstream.reason";

    /// <summary>DE 39 of the issuer's answer.</summary>
    public const string IssuerResponseCodeTag = "atm.issuer.response_code";

    /// <summary>The name the sampler sees; the span is renamed "atm MTI" once started.</summary>
    private const string RequestSpanName = "atm request";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>"atm 0200" and the like, made once per MTI (there are at most 10,000), only once a span is exported.</summary>
    private static readonly string?[] RequestSpanNames = new string?[10_000];

    /// <summary>
    /// Starts the root span of a terminal request of <paramref name="mti"/>, or returns null (at once, allocating nothing)
    /// when no one listens or the sampler drops it. <see cref="Activity.Current"/> is left as it was.
    /// </summary>
    public static Activity? StartRequest(int mti)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        // A terminal request starts a trace of its own: whatever is current on this thread is not its parent.
        var previous = Activity.Current;
        Activity.Current = null;
        var activity = Source.StartActivity(RequestSpanName, ActivityKind.Server);
        Activity.Current = previous;
        if (activity is not null)
        {
            activity.DisplayName = RequestSpanNameOf(mti);
            activity.SetTag(MtiTag, MessageTypes.Format(mti));
        }

        return activity;
    }

    /// <summary>A child of <paramref name="parent"/> (kind Internal, or Client for a call out); null when there is no parent or no listener.</summary>
    public static Activity? StartChild(Activity? parent, string name, ActivityKind kind = ActivityKind.Internal)
    {
        if (parent is null)
        {
            return null;
        }

        var previous = Activity.Current;
        var activity = Source.StartActivity(name, kind, parent.Context);
        Activity.Current = previous;
        return activity;
    }

    /// <summary>Ends the request span: its answer, and status Error for a host failure (96) only — a decline is no error of the host's.</summary>
    public static void EndRequest(Activity activity, string responseCode, string? processingCode, string? terminalId, long? amount)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity.SetTag(ResponseCodeTag, responseCode);
        activity.SetTag(ProcessingCodeTag, processingCode);
        activity.SetTag(TerminalIdTag, terminalId);
        if (amount is { } minorUnits)
        {
            activity.SetTag(AmountTag, minorUnits);
        }

        if (responseCode == ResponseCodes.SystemMalfunction)
        {
            activity.SetStatus(ActivityStatusCode.Error, "system malfunction (96)");
        }

        activity.Stop();
    }

    /// <summary>Ends a request span whose request was dropped unanswered (its connection closed, or the host stopped).</summary>
    public static void Abandon(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity.SetTag(AbandonedTag, true);
        activity.Stop();
    }

    private static string RequestSpanNameOf(int mti)
    {
        var index = Math.Clamp(mti, 0, RequestSpanNames.Length - 1);
        return RequestSpanNames[index] ??= "atm " + MessageTypes.Format(index);
    }
}
