using SocketAtm.Client.Diagnostics;
using SocketAtm.Client.Exchange;
using SocketAtm.Client.Link;
using SocketAtm.Client.Messages;
using SocketAtm.Client.Security;
using SocketAtm.Client.SignOn;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Client.Reversals;

/// <summary>
/// One terminal's reversals (PROTOCOL.md §6.4): each is sent as an 0400 once the terminal is signed on, repeated as 0401
/// with a doubling pause until the host gives a final answer, and abandoned only when the terminal closes.
/// </summary>
/// <param name="terminalClosing">Cancelled when the terminal closes: every reversal still running is abandoned then.</param>
internal sealed class ReversalEngine(
    TerminalConnection connection,
    TerminalClientOptions options,
    CancellationTokenSource terminalClosing,
    KeyExchangeGate gate,
    SignOnState signOn,
    TerminalExchange exchange)
{
    private readonly OutstandingReversals _outstanding = new();

    /// <summary>Reversals sent but not yet acknowledged by the host.</summary>
    public int Count => _outstanding.Count;

    /// <summary>
    /// Reverses <paramref name="original"/> — in full, or down to <paramref name="dispensed"/> (DE 95) — until the host
    /// acknowledges it or the terminal closes; a second report of the same original joins the reversal already running.
    /// </summary>
    public Task<ReversalResult> Start(OriginalRequest original, long? dispensed) =>
        _outstanding.StartOrJoin(
            new RequestTrace(original.Mti, original.Stan, original.TransmissionDateTime),
            () => ReverseUntilAcknowledgedAsync(original, dispensed));

    /// <summary>
    /// Waits for the reversals outstanding now, at most a sign-off timeout plus a request timeout: what is still
    /// unacknowledged then is abandoned by closing.
    /// </summary>
    public async Task DrainAsync()
    {
        var outstanding = _outstanding.Snapshot();
        if (outstanding.Length == 0)
        {
            return;
        }

        var bound = connection.Options.SignOffTimeout + options.RequestTimeout;
        try
        {
            await Task.WhenAll(outstanding).WaitAsync(bound, connection.Options.TimeProvider);
        }
        catch (TimeoutException)
        {
            // Closing abandons them; each logs what it leaves behind.
        }
    }

    /// <summary>Completes when every reversal running now has ended (acknowledged, or abandoned once closing began).</summary>
    public Task WhenAllEnded() => Task.WhenAll(_outstanding.Snapshot());

    // 91, 58 and 63 come before the host records anything (saturated; terminal not signed on or not enabled; MAC not
    // accepted) and 96 says it failed: the reversal did not take, and may on a repeat. Any other answer is the host's
    // decision on it.
    private static bool IsFinalReversalAnswer(string code) => code is not (ResponseCodes.IssuerUnavailable or ResponseCodes.SystemMalfunction or ResponseCodes.NotPermittedToTerminal or ResponseCodes.SecurityViolation);

    private async Task<ReversalResult> ReverseUntilAcknowledgedAsync(OriginalRequest original, long? dispensed)
    {
        // Never inline in the caller: the caller may hold the gate and must return its result first.
        await Task.Yield();
        var closing = terminalClosing.Token;
        var time = connection.Options.TimeProvider;
        var pause = options.ReversalRetryInterval;
        var attempts = 0;
        RequestIdentity identity = default;
        RequestTrace? trace = null;
        while (!closing.IsCancellationRequested)
        {
            LinkSession? session;
            try
            {
                session = await signOn.WaitUntilSignedOnAsync(Timeout.InfiniteTimeSpan, closing);
                if (session is null)
                {
                    break;
                }

                await gate.EnterAsync(closing);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (!signOn.MaySendOver(session))
            {
                // The terminal signed off, or its link closed, while this waited for the gate: wait for the next sign-on.
                gate.Exit();
                continue;
            }

            string? code = null;
            var reason = NoResponseReason.Timeout;
            try
            {
                // A repeat keeps the original reversal's DE 7 and DE 11, so the host recognises it (PROTOCOL.md §6.4).
                if (attempts == 0)
                {
                    identity = exchange.NextIdentity(session);
                    trace = new RequestTrace(MessageTypes.ReversalRequest, identity.Stan, identity.TransmissionDateTime);
                }

                var mti = attempts == 0 ? MessageTypes.ReversalRequest : MessageTypes.ReversalRequestRepeat;
                var request = MessagePool.Rent();
                Reply reply;
                try
                {
                    TerminalMessages.SetReversal(request, mti, identity, original, dispensed);
                    attempts++;
                    reply = await exchange.ExchangeFinancialAsync(session, request, identity.Stan, CancellationToken.None);
                }
                finally
                {
                    MessagePool.Return(request);
                }

                if (reply.Message is { } response)
                {
                    code = TerminalMessages.ResponseCode(response);
                    MessagePool.Return(response);
                    Log.ReversalAnswered(connection.Logger, options.TerminalId, mti, identity.Stan, original.Stan, dispensed ?? 0, code);
                    if (IsFinalReversalAnswer(code))
                    {
                        return new ReversalResult(ReversalOutcome.Acknowledged, code, dispensed ?? 0, attempts, trace);
                    }
                }
                else
                {
                    reason = reply.Reason;
                }
            }
            finally
            {
                gate.Exit();
            }

            Log.ReversalRepeating(connection.Logger, options.TerminalId, identity.Stan, code ?? reason.ToString(), pause);
            try
            {
                await Task.Delay(pause, time, closing);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, options.ReversalRetryInterval.Ticks * 8));
        }

        Log.ReversalAbandoned(connection.Logger, options.TerminalId, original.Stan, attempts);
        return new ReversalResult(ReversalOutcome.Abandoned, null, dispensed ?? 0, attempts, trace);
    }
}
