using SocketAtm.Client.Diagnostics;
using SocketAtm.Client.Exchange;
using SocketAtm.Client.Link;
using SocketAtm.Client.Messages;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Client.Security;

/// <summary>
/// Asks the host for new working keys (0800, DE 70 = 161, MACed when the terminal uses MACs) for one terminal, alone in
/// its <see cref="KeyExchangeGate"/>, and installs them when the 0810 is authentic and both KCVs match. The host keeps
/// the new keys pending until the terminal's first request under them, so an attempt without a valid answer costs
/// nothing: the terminal keeps its keys, which the host still holds as current.
/// </summary>
internal sealed class KeyExchanger(
    TerminalConnection connection,
    TerminalClientOptions options,
    KeyExchangeGate gate,
    WorkingKeys keys,
    TerminalExchange exchange)
{
    private const int MaxAttempts = 3;

    /// <summary>
    /// An attempt without a valid answer (lost, timed out, garbled, a wrong KCV or MAC) is repeated, with a doubling pause,
    /// up to <see cref="MaxAttempts"/> times; a refusal (another DE 39) is not. Whatever the outcome, the terminal stays
    /// on line: until an exchange succeeds it goes on with the keys it has (PROTOCOL.md §11.3).
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
                var (result, installed, refused) = await ExchangeOnceAsync(session, attempt, cancellationToken);
                if (installed || refused || attempt == MaxAttempts || session.IsClosed || cancellationToken.IsCancellationRequested)
                {
                    if (!installed)
                    {
                        Log.KeysKept(connection.Logger, options.TerminalId, attempt);
                    }

                    return result;
                }

                Log.KeyExchangeRepeating(connection.Logger, options.TerminalId, attempt, result.Problem ?? result.ResponseCode ?? string.Empty, pause);
                try
                {
                    await Task.Delay(pause, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Log.KeysKept(connection.Logger, options.TerminalId, attempt);
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

    /// <summary>One 0800 with DE 70 = 161; only an authentic 0810 with DE 39 = 00 and keys that check out changes the keys.</summary>
    private async Task<(NetworkResult Result, bool Installed, bool Refused)> ExchangeOnceAsync(LinkSession session, int attempt, CancellationToken cancellationToken)
    {
        var (reply, roundTrip) = await exchange.NetworkExchangeAsync(session, NetworkManagementCodes.KeyExchange, cancellationToken);
        if (reply.Message is not { } response)
        {
            // The host keeps any keys it issued pending: they are simply never used.
            Log.KeyExchangeUnanswered(connection.Logger, options.TerminalId, attempt, reply.Reason);
            return (new NetworkResult(null, roundTrip, reply.Reason.ToString()), false, false);
        }

        var code = TerminalMessages.ResponseCode(response);
        try
        {
            if (code != ResponseCodes.Approved)
            {
                Log.KeyExchangeRefused(connection.Logger, options.TerminalId, code);
                return (new NetworkResult(code, roundTrip), false, true);
            }

            if (keys.TryInstall(response.Get(DataElements.AdditionalData)))
            {
                var (pinCheck, macCheck) = keys.CheckValues;
                Log.KeysExchanged(connection.Logger, options.TerminalId, pinCheck, macCheck);
                return (new NetworkResult(code, roundTrip), true, false);
            }
        }
        finally
        {
            MessagePool.Return(response);
        }

        Log.KeyExchangeRejected(connection.Logger, options.TerminalId, attempt);
        return (new NetworkResult(code, roundTrip, "key check value mismatch"), false, false);
    }
}
