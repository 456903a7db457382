using SocketAtm.Client.Diagnostics;
using SocketAtm.Client.Exchange;
using SocketAtm.Client.Link;
using SocketAtm.Client.Messages;
using SocketAtm.Client.SignOn;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Client.Security;

/// <summary>
/// Asks the host for new working keys (0800, DE 70 = 161) for one terminal, alone in its <see cref="KeyExchangeGate"/>,
/// installs them when both KCVs match, and takes the terminal off line when no attempt got a valid answer.
/// </summary>
internal sealed class KeyExchanger(
    TerminalConnection connection,
    TerminalClientOptions options,
    KeyExchangeGate gate,
    WorkingKeys keys,
    TerminalExchange exchange,
    SignOnState signOn)
{
    private const int MaxAttempts = 3;

    /// <summary>
    /// PROTOCOL.md §11.3: until an 0810 with valid keys comes back, the host may already use keys this terminal does not
    /// have. So an attempt without one (lost, timed out, garbled, a wrong KCV) is repeated, with a doubling pause, up to
    /// <see cref="MaxAttempts"/> times; if none succeeds, the terminal goes off line and drops the link, and the
    /// reconnect signs on and exchanges keys again before any financial request. Nothing is sent under keys in doubt.
    /// </summary>
    public async Task<NetworkResult> ExchangeOverAsync(LinkSession session, CancellationToken cancellationToken)
    {
        await gate.EnterExclusiveAsync(cancellationToken);
        try
        {
            var time = connection.Options.TimeProvider;
            var pause = options.KeyExchangeRetryInterval;
            for (var attempt = 1; ; attempt++)
            {
                var (result, refused) = await ExchangeOnceAsync(session, attempt, cancellationToken);
                if (!keys.InDoubt)
                {
                    return result;
                }

                // A refusal will not change on this link soon, nor will a dead link or a caller who stopped waiting.
                if (refused || attempt == MaxAttempts || session.IsClosed || cancellationToken.IsCancellationRequested)
                {
                    GoOfflineWithKeysInDoubt(session, attempt);
                    return result;
                }

                Log.KeyExchangeRepeating(connection.Logger, options.TerminalId, attempt, result.Problem ?? result.ResponseCode ?? string.Empty, pause);
                try
                {
                    await Task.Delay(pause, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    GoOfflineWithKeysInDoubt(session, attempt);
                    return result;
                }

                pause *= 2;
            }
        }
        finally
        {
            gate.ExitExclusive();
        }
    }

    /// <summary>One 0800 with DE 70 = 161; a refusal (an 0810 other than 00) leaves the keys as they were.</summary>
    private async Task<(NetworkResult Result, bool Refused)> ExchangeOnceAsync(LinkSession session, int attempt, CancellationToken cancellationToken)
    {
        var (reply, roundTrip) = await exchange.NetworkExchangeAsync(session, NetworkManagementCodes.KeyExchange, cancellationToken);
        if (reply.Message is not { } response)
        {
            // The request went out, so the host may have answered it and switched keys.
            keys.MarkInDoubt();
            Log.KeyExchangeUnanswered(connection.Logger, options.TerminalId, attempt, reply.Reason);
            return (new NetworkResult(null, roundTrip, reply.Reason.ToString()), false);
        }

        var code = TerminalMessages.ResponseCode(response);
        try
        {
            if (code != ResponseCodes.Approved)
            {
                Log.KeyExchangeRefused(connection.Logger, options.TerminalId, code);
                return (new NetworkResult(code, roundTrip), true);
            }

            if (keys.TryInstall(response.Get(DataElements.AdditionalData)))
            {
                var (pinCheck, macCheck) = keys.CheckValues;
                Log.KeysExchanged(connection.Logger, options.TerminalId, pinCheck, macCheck);
                return (new NetworkResult(code, roundTrip), false);
            }
        }
        finally
        {
            MessagePool.Return(response);
        }

        // The host already uses keys this terminal could not verify: only a new exchange can fix that.
        Log.KeyExchangeRejected(connection.Logger, options.TerminalId, attempt);
        return (new NetworkResult(code, roundTrip, "key check value mismatch"), false);
    }

    /// <summary>
    /// Called holding the gate alone, so requests waiting for it find the terminal off line. Dropping the link (for every
    /// terminal on it, as an unanswered sign-on does) is what brings the next sign-on, and with it the next key exchange.
    /// </summary>
    private void GoOfflineWithKeysInDoubt(LinkSession session, int attempts)
    {
        Log.KeysInDoubt(connection.Logger, options.TerminalId, attempts, session.Id);
        signOn.TakeOffline();
        session.Abort();
    }
}
