using Microsoft.Extensions.Logging;
using SocketAtm.Client.Diagnostics;
using SocketAtm.Client.Exchange;
using SocketAtm.Client.Link;
using SocketAtm.Client.Messages;
using SocketAtm.Client.Security;

namespace SocketAtm.Client.SignOn;

/// <summary>
/// One terminal's sign-on over a link — the 0800, then a key exchange when one is due, and only then signed on — and its
/// sign-off. What it leads to is kept in <see cref="SignOnState"/>.
/// </summary>
internal sealed class SignOnSequence
{
    private readonly TerminalConnection _connection;
    private readonly TerminalClientOptions _options;
    private readonly ILogger _logger;
    private readonly WorkingKeys _keys;
    private readonly TerminalExchange _exchange;
    private readonly KeyExchanger _keyExchanger;
    private readonly SignOnState _signOn;

    public SignOnSequence(TerminalConnection connection, TerminalClientOptions options, WorkingKeys keys, TerminalExchange exchange, KeyExchanger keyExchanger, SignOnState signOn)
    {
        _connection = connection;
        _options = options;
        _logger = connection.Logger;
        _keys = keys;
        _exchange = exchange;
        _keyExchanger = keyExchanger;
        _signOn = signOn;
    }

    private string TerminalId => _options.TerminalId;

    /// <summary>
    /// 0800 with DE 70 = 001. Unanswered (and not because the caller stopped waiting), the link is dropped for every
    /// terminal on it, and the reconnect signs them all on again; approved, the terminal first exchanges keys when the
    /// options ask for it or its keys are in doubt.
    /// </summary>
    public async Task<NetworkResult> SignOnOverAsync(LinkSession session, CancellationToken cancellationToken)
    {
        var (code, reason, roundTrip) = await _exchange.NetworkRequestAsync(session, TerminalMessages.SignOn, cancellationToken);
        _signOn.LastSignOnResponseCode = code;
        if (code is null)
        {
            Log.SignOnUnanswered(_logger, TerminalId, reason);
            if (reason != NoResponseReason.Cancelled)
            {
                session.Abort();
            }

            return new NetworkResult(null, roundTrip);
        }

        if (code != "00")
        {
            Log.SignOnRefused(_logger, TerminalId, code);
            return new NetworkResult(code, roundTrip);
        }

        if (_options.ExchangeKeysAtSignOn || _keys.InDoubt)
        {
            // Still signed off for financial requests: none can be in flight while the keys change. Keys left in doubt
            // by an earlier exchange are settled here, whatever the options say, before anything is sent under them.
            var exchange = await _keyExchanger.ExchangeOverAsync(session, cancellationToken);
            if (_keys.InDoubt)
            {
                // The exchange dropped the link; the reconnect signs on and tries again.
                return exchange;
            }
        }

        _signOn.SignedOn(session);
        return new NetworkResult(code, roundTrip);
    }

    /// <summary>0800 with DE 70 = 002, waited for at most <see cref="TerminalConnectionOptions.SignOffTimeout"/>.</summary>
    public async Task SignOffOverAsync(LinkSession session)
    {
        _signOn.SigningOff(session);
        using var timeout = new CancellationTokenSource(_connection.Options.SignOffTimeout, _connection.Options.TimeProvider);
        var (code, _, _) = await _exchange.NetworkRequestAsync(session, TerminalMessages.SignOff, timeout.Token);
        Log.SignedOff(_logger, TerminalId, code ?? "no answer");
    }
}
