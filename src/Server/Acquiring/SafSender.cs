using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.Rules;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Acquiring;

/// <summary>
/// The store-and-forward worker (PROTOCOL.md §15.6): every round it gives up forwarded requests left pending past their
/// budget (their host stopped mid-flight; at start that is this host's own), then, per route, claims the messages the
/// ledger owes the issuer and sends each — a reversal as an 0420 the first time and an 0421 after, a stand-in approval's
/// advice as an 0220 and then 0221s — and records how each try ended.
/// </summary>
/// <remarks>
/// <para>Everything lives in the ledger: what is owed (written with the decision that owes it), each try (counted when
/// claimed, before anything is sent), the backoff and the issuer's refusals. So a restart, a SIGKILL, or another host of
/// the database carries on where this one stopped: a claim not released within its lease (the route's timeout plus
/// <see cref="LeaseMargin"/>) is taken over, and a message sent but not acknowledged is sent again, as a repeat the
/// issuer applies once. Of hosts sharing a database one sends each message at a time: the claim is decided by the writer
/// under the record's row lock.</para>
/// <para>An issuer that does not answer, or answers 91/96, gets the message again after a pause that doubles per try
/// (Routing:Routes:N:SafRetryDelay up to SafMaxRetryDelay); any other refusal keeps it as an exception for operators
/// (<c>admin saf list</c>, <c>admin saf retry</c>). A message older than SafExpiry is alerted, and still sent.</para>
/// </remarks>
/// <param name="openLedger">The ledger, once open (the worker starts after it); null when the store does not acquire.</param>
internal sealed class SafSender(
    IssuerRoutes routes, Func<IAcquirerLedger?> openLedger, ReversalSignal signal, SafMetrics metrics, TimeProvider time, ILogger<SafSender> logger)
    : BackgroundService
{
    /// <summary>The pause between rounds when nothing wakes the worker.</summary>
    public static readonly TimeSpan RoundInterval = TimeSpan.FromSeconds(1);

    /// <summary>What a claim's lease adds to the route's timeout: the time to record the result after the answer.</summary>
    public static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, int> _expiredAlerted = new(StringComparer.Ordinal);
    private IAcquirerLedger? _ledger;

    /// <summary>This host's name in the claims it makes: unique per process, so a restarted host never mistakes an old claim for its own.</summary>
    public string Claimant { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// One round: the sweep, then every route's due messages, then the queue's figures; returns how many messages were
    /// delivered (acknowledged or disputed). Internal for tests that drive rounds.
    /// </summary>
    internal async Task<int> RunRoundAsync(CancellationToken cancellationToken)
    {
        var ledger = _ledger ??= openLedger() ?? throw new InvalidOperationException("The ledger does not acquire for other issuers.");
        await SweepPendingAsync(ledger, cancellationToken);
        var delivered = 0;
        foreach (var route in routes.Routes)
        {
            var leaseUntil = time.GetUtcNow() + route.Timeout + LeaseMargin;
            var claimed = await ledger.ClaimSafAsync(route.Name, Claimant, leaseUntil, route.Saf.Batch, cancellationToken);
            var results = await Task.WhenAll(claimed.Select(entry => SendAsync(ledger, route, entry, cancellationToken)));
            delivered += results.Count(answer => answer is SafAnswer.Acknowledged or SafAnswer.Disputed);
            await SummarizeAsync(ledger, route, cancellationToken);
        }

        return delivered;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (routes.Routes.Count == 0 || openLedger() is null)
        {
            return;
        }

        SafLog.Started(logger, Claimant, LeaseMargin);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A round that delivered something goes again at once: a card's next message (a reversal after its advice, a
                // second reversal) is due as soon as the one before it is acknowledged, and a backlog drains at the issuer's
                // pace, not a round's.
                if (await RunRoundAsync(stoppingToken) == 0)
                {
                    await signal.WaitAsync(RoundInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (LedgerUnavailableException)
            {
                // The ledger failed or closed: the host is stopping, and what is owed stays owed in it.
                return;
            }
            catch (Exception exception)
            {
                SafLog.RoundFailed(logger, exception);
                await Task.Delay(RoundInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task SweepPendingAsync(IAcquirerLedger ledger, CancellationToken cancellationToken)
    {
        var longest = routes.Routes.Count == 0 ? TimeSpan.Zero : routes.Routes.Max(route => route.Timeout);
        var now = time.GetUtcNow();
        foreach (var pending in await ledger.ListPendingForwardsAsync(now - longest - Acquirer.RepeatGrace, 32, cancellationToken))
        {
            AcquiringLog.SweptPending(logger, pending.Key.ToString(), now - pending.ForwardedAt);
            await ledger.GiveUpAsync(pending.Key, CancellationToken.None);
        }
    }

    private async Task<SafAnswer> SendAsync(IAcquirerLedger ledger, IssuerRoute route, OwedMessage entry, CancellationToken cancellationToken)
    {
        // The claim counted this try: the first of all is the 0420, every later one (on any host) an 0421.
        var attempts = entry.Saf.Attempts;
        var values = new UpstreamReversal(OriginalOf(entry, route), entry.Reason, route.NextStan(), time.GetUtcNow(), entry.DispensedAmount, IsRepeat: attempts > 1);
        var advice = entry.Message == SafMessage.Advice
            ? UpstreamRequests.StandInAdvice(values, entry.AuthorizationId ?? throw new InvalidOperationException($"The {entry} has no authorization id."))
            : UpstreamRequests.ReversalAdvice(values);
        var reply = await route.ExchangeAsync(advice, cancellationToken);
        var responseCode = reply.Outcome == UpstreamOutcome.Answered ? reply.Answer!.GetString(DataElements.ResponseCode) : null;
        var sent = reply.Outcome != UpstreamOutcome.NotSent;
        var delay = sent ? route.Saf.DelayAfter(attempts) : route.Saf.RetryDelay;
        var detail = responseCode is null ? reply.ToString() : "answered " + responseCode;
        var result = new SafAttemptResult(Claimant, responseCode, sent, (time.GetUtcNow() + delay).ToUnixTimeMilliseconds(), detail);

        // Recorded whatever the caller's token says: an answer the issuer gave must not be lost to a stop.
        var recorded = await ledger.RecordSafResultAsync(entry.OriginalKey, result, CancellationToken.None);
        var answer = SafRules.Classify(entry.Message, responseCode);
        switch (answer)
        {
            case SafAnswer.Acknowledged:
                metrics.Delivered(route.Name, "acknowledged");
                if (!recorded.IsReplay)
                {
                    SafLog.Delivered(logger, route.Name, entry.ToString(), attempts);
                }

                break;
            case SafAnswer.Disputed:
                // Booked, but the issuer would have declined: the dispense stands, and operators reconcile it.
                metrics.Delivered(route.Name, "disputed");
                SafLog.Disputed(logger, route.Name, entry.ToString(), responseCode!);
                break;
            case SafAnswer.Refused:
                metrics.Delivered(route.Name, "refused");
                SafLog.Refused(logger, route.Name, entry.ToString(), responseCode!);
                break;
            default:
                metrics.Failed(route.Name, FailureReason(reply, responseCode));
                SafLog.NotAcknowledged(logger, route.Name, entry.ToString(), detail, attempts, delay);
                break;
        }

        return answer;
    }

    private async Task SummarizeAsync(IAcquirerLedger ledger, IssuerRoute route, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var summary = await ledger.SummarizeSafAsync(route.Name, now - route.Saf.Expiry, cancellationToken);
        metrics.Summarized(route.Name, summary, now);

        // Alerted when more become expired than were last alerted (bounded: one count per route), never dropped.
        var alerted = _expiredAlerted.GetValueOrDefault(route.Name);
        if (summary.Expired > alerted && summary.OldestOwedAt is { } oldest)
        {
            SafLog.Expired(logger, route.Name, summary.Expired, route.Saf.Expiry, oldest);
        }

        _expiredAlerted[route.Name] = summary.Expired;
    }

    private static string FailureReason(UpstreamReply reply, string? responseCode) => responseCode ?? reply.Outcome switch
    {
        UpstreamOutcome.NotSent => "not_sent",
        UpstreamOutcome.Untrusted => "untrusted",
        _ => "timeout",
    };

    /// <summary>The original as it was sent upstream, from what the ledger kept of it: what the 0420 names and copies.</summary>
    private static IsoMessage OriginalOf(OwedMessage reversal, IssuerRoute route)
    {
        var original = new IsoMessage { Mti = reversal.OriginalMti };
        original.Set(DataElements.PrimaryAccountNumber, reversal.Pan);
        original.Set(DataElements.ProcessingCode, ProcessingCodes.Format(TransactionTypes.CashWithdrawal, (int)reversal.AccountType));
        original.SetNumber(DataElements.Amount, reversal.Amount);
        original.Set(DataElements.TransmissionDateTime, reversal.AcquirerTransmission);
        original.SetNumber(DataElements.Stan, reversal.AcquirerStan);
        original.Set(DataElements.AcquirerId, route.AcquirerId);
        original.Set(DataElements.RetrievalReference, reversal.RetrievalReference);
        original.Set(DataElements.TerminalId, reversal.OriginalKey.TerminalId);
        if (reversal.Currency > 0)
        {
            original.SetNumber(DataElements.Currency, reversal.Currency);
        }

        return original;
    }
}
