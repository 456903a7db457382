using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Acquiring;

/// <summary>
/// Delivers the reversals the ledger owes issuers (PROTOCOL.md §15.6): every round it gives up forwarded requests left
/// pending past their budget (their host stopped mid-flight; at start that is this host's own), then sends each route's
/// owed reversals as an 0420 — an 0421 for every retry — until an 0430 with DE 39 = 00 is recorded. What is owed lives in
/// the ledger, so a restart, or another host of the database, picks it up; the issuer applies a repeat once.
/// </summary>
/// <remarks>
/// A reversal not acknowledged is sent again after a growing pause (<see cref="RetryDelay"/>), so an issuer that keeps
/// refusing one costs a message and a journal row a minute, not a second. Hosts sharing a database may each send the same
/// owed reversal; the issuer's idempotency makes that safe (one sender per entry is issue 16's store-and-forward claim).
/// </remarks>
/// <param name="openLedger">The ledger, once open (the sender starts after it); null when the store does not acquire.</param>
internal sealed class OwedReversalSender(
    IssuerRoutes routes, Func<IAcquirerLedger?> openLedger, ReversalSignal signal, TimeProvider time, ILogger<OwedReversalSender> logger) : BackgroundService
{
    private IAcquirerLedger? _ledger;

    /// <summary>The pause between rounds when nothing wakes the sender.</summary>
    public static readonly TimeSpan RoundInterval = TimeSpan.FromSeconds(1);

    private const int BatchPerRoute = 32;
    private const int MaxTracked = 10_000;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<RequestKey, Attempts> _attempts = new();

    /// <summary>The pause before the next try of a reversal sent <paramref name="sent"/> times without an acknowledgement.</summary>
    public static TimeSpan RetryDelay(int sent) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, RoundInterval.TotalMilliseconds * Math.Pow(2, Math.Max(0, sent - 1))));

    /// <summary>One round: the sweep, then every route's owed reversals that are due. Internal for tests that drive rounds.</summary>
    internal async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        var ledger = _ledger ??= openLedger() ?? throw new InvalidOperationException("The ledger does not acquire for other issuers.");
        await SweepPendingAsync(ledger, cancellationToken);
        foreach (var route in routes.Routes)
        {
            var owed = await ledger.ListOwedReversalsAsync(route.Name, BatchPerRoute, cancellationToken);
            var now = time.GetUtcNow();
            await Task.WhenAll(owed.Where(reversal => IsDue(reversal, now)).Select(reversal => SendAsync(ledger, route, reversal, cancellationToken)));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (routes.Routes.Count == 0 || openLedger() is null)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunRoundAsync(stoppingToken);
                await signal.WaitAsync(RoundInterval, stoppingToken);
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
                AcquiringLog.ReversalRoundFailed(logger, exception);
                await Task.Delay(RoundInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task SweepPendingAsync(IAcquirerLedger ledger, CancellationToken cancellationToken)
    {
        var longest = routes.Routes.Count == 0 ? TimeSpan.Zero : routes.Routes.Max(route => route.Timeout);
        var now = time.GetUtcNow();
        foreach (var pending in await ledger.ListPendingForwardsAsync(now - longest - Acquirer.RepeatGrace, BatchPerRoute, cancellationToken))
        {
            AcquiringLog.SweptPending(logger, pending.Key.ToString(), now - pending.ForwardedAt);
            await ledger.GiveUpAsync(pending.Key, CancellationToken.None);
        }
    }

    private bool IsDue(OwedReversal reversal, DateTimeOffset now) =>
        !_attempts.TryGetValue(reversal.OriginalKey, out var attempts) || attempts.NextAt <= now;

    private async Task SendAsync(IAcquirerLedger ledger, IssuerRoute route, OwedReversal reversal, CancellationToken cancellationToken)
    {
        var sent = _attempts.TryGetValue(reversal.OriginalKey, out var attempts) ? attempts.Sent : 0;
        var advice = UpstreamRequests.ReversalAdvice(
            new UpstreamReversal(OriginalOf(reversal, route), reversal.Reason, route.NextStan(), time.GetUtcNow(), reversal.DispensedAmount, IsRepeat: sent > 0));
        var reply = await route.ExchangeAsync(advice, cancellationToken);
        if (reply.Outcome == UpstreamOutcome.NotSent)
        {
            // Nothing left the host: tried again next round, still as what it was.
            return;
        }

        if (reply.Outcome == UpstreamOutcome.Answered && reply.Answer!.GetString(DataElements.ResponseCode) is { } responseCode)
        {
            var recorded = await ledger.AcknowledgeReversalAsync(reversal.OriginalKey, responseCode, CancellationToken.None);
            if (responseCode == ResponseCodes.Approved)
            {
                _attempts.TryRemove(reversal.OriginalKey, out _);
                if (!recorded.IsReplay)
                {
                    AcquiringLog.ReversalAcknowledged(logger, route.Name, reversal.ToString(), responseCode);
                }

                return;
            }
        }

        if (_attempts.Count >= MaxTracked)
        {
            // Bounded: forgetting the pauses only makes the next round try each once more.
            _attempts.Clear();
        }

        var delay = RetryDelay(sent + 1);
        _attempts[reversal.OriginalKey] = new Attempts(sent + 1, time.GetUtcNow() + delay);
        AcquiringLog.ReversalNotAcknowledged(logger, route.Name, reversal.ToString(), reply.ToString(), delay);
    }

    /// <summary>The original as it was sent upstream, from what the ledger kept of it: what the 0420 names and copies.</summary>
    private static IsoMessage OriginalOf(OwedReversal reversal, IssuerRoute route)
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

    private readonly record struct Attempts(int Sent, DateTimeOffset NextAt);
}
