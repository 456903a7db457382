using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Handlers;

/// <summary>
/// 0800 network management by DE 70: sign-on (001), sign-off (002), echo (301) and key exchange (161).
/// The dispatcher has already checked that DE 41 names a registered, enabled terminal and, for a MAC terminal, that the
/// request's MAC is correct (the answer is MACed under the same key).
/// </summary>
internal sealed class NetworkManagementHandler : IMessageHandler
{
    private const int KeyExchangeDataLength = 82;
    private static readonly int[] Mandatory = [DataElements.TransmissionDateTime, DataElements.Stan, DataElements.TerminalId, DataElements.NetworkManagementCode];
    private static readonly int[] Echoed = [DataElements.TransmissionDateTime, DataElements.Stan, DataElements.TerminalId, DataElements.NetworkManagementCode];

    private readonly ILedger _ledger;
    /// <summary>The <c>reason</c> of <c>socketatm.security.events</c> for a key exchange refused 65 by the rate limit.</summary>
    public const string KeyExchangeLimitReason = "key_exchange_limit";

    private readonly KeyExchangeRateLimit _keyExchanges;
    private readonly TimeProvider _time;
    private readonly TimeSpan _transmissionWindow;
    private readonly AtmMetrics _metrics;
    private readonly ILogger _logger;

    // A refused exchange is a replay or a stale copy, which whoever recorded one can send at will: logged once a window
    // per terminal and kind, the rest counted into the next line.
    private readonly LogRateLimit _refusals;

    /// <param name="transmissionWindow">How far a key exchange's DE 7 may be from the host's clock (as for card requests).</param>
    public NetworkManagementHandler(
        ILedger ledger, KeyExchangeRateLimit keyExchanges, TimeProvider time, TimeSpan transmissionWindow, AtmMetrics metrics, ILogger<NetworkManagementHandler> logger)
    {
        _ledger = ledger;
        _keyExchanges = keyExchanges;
        _time = time;
        _transmissionWindow = transmissionWindow;
        _metrics = metrics;
        _logger = logger;
        _refusals = new LogRateLimit(time);
    }

    public ReadOnlySpan<int> MandatoryFields => Mandatory;

    public ReadOnlySpan<int> EchoedFields => Echoed;

    public bool IsFinancial => false;

    public async ValueTask HandleAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var terminal = context.Terminal!;
        request.TryGetNumber(DataElements.NetworkManagementCode, out var code);
        string responseCode;
        switch (code)
        {
            case NetworkManagementCodes.SignOn:
                context.Terminals.SignOn(terminal.TerminalId);
                responseCode = ResponseCodes.Approved;
                break;
            case NetworkManagementCodes.SignOff:
                context.Terminals.SignOff(terminal.TerminalId);
                responseCode = ResponseCodes.Approved;
                break;
            case NetworkManagementCodes.Echo:
                responseCode = ResponseCodes.Approved;
                break;
            case NetworkManagementCodes.KeyExchange:
                responseCode = context.Terminals.TryFind(request.Get(DataElements.TerminalId), out _, out _)
                    ? await ExchangeKeysIfAllowedAsync(context, terminal, cancellationToken)
                    : ResponseCodes.NotPermittedToTerminal;
                break;
            default:
                responseCode = ResponseCodes.InvalidTransaction;
                break;
        }

        context.Answer(responseCode);
        Log.NetworkManagement(_logger, code, terminal.TerminalId, responseCode);
    }

    /// <summary>
    /// A key exchange (PROTOCOL.md §11.3) that is fresh (DE 7 within the transmission window, else 63), later than the
    /// terminal's last one (else 63: a replay), and within the terminal's rate (else 65, counted as a security event, reason
    /// key_exchange_limit; logged once until the terminal's next granted exchange; not journaled). A repeat of the exchange whose
    /// keys are still pending — its answer was lost, or someone replays it — gets those keys again and changes nothing.
    /// </summary>
    private async ValueTask<string> ExchangeKeysIfAllowedAsync(MessageContext context, TerminalRecord terminal, CancellationToken cancellationToken)
    {
        var request = context.Request;
        request.TryGetNumber(DataElements.Stan, out var stan);
        var now = _time.GetUtcNow();
        if (!TransmissionTime.TryResolve(request.Get(DataElements.TransmissionDateTime), now, out var sent)
            || (sent - now).Duration() > _transmissionWindow)
        {
            if (ShouldLogRefusal(terminal, "stale key exchange"))
            {
                KeyLog.KeyExchangeStale(_logger, terminal.TerminalId, ResponseCodes.SecurityViolation, _transmissionWindow);
            }

            return ResponseCodes.SecurityViolation;
        }

        var exchange = new KeyExchangeRequest(sent, (int)stan);

        // Decided first on the record the session holds, so that a replay neither spends the terminal's rate nor writes;
        // the ledger decides again on the stored record as it stores the keys.
        switch (terminal.OrderOf(exchange))
        {
            case KeyExchangeOrder.RepeatOfPending:
                return AnswerPendingKeysAgain(context, terminal);
            case KeyExchangeOrder.NotLater:
                LogNotLater(terminal);
                return ResponseCodes.SecurityViolation;
        }

        var grant = _keyExchanges.TryAcquire(terminal.TerminalId);
        if (grant != KeyExchangeGrant.Granted)
        {
            _metrics.SecurityEvent(KeyExchangeLimitReason);
        }

        switch (grant)
        {
            case KeyExchangeGrant.Granted:
                return await ExchangeKeysAsync(context, terminal, exchange, cancellationToken);
            case KeyExchangeGrant.Limited:
                KeyLog.KeyExchangeLimited(_logger, terminal.TerminalId, ResponseCodes.ExceedsFrequencyLimit, _keyExchanges.Limit, _keyExchanges.Window);
                return ResponseCodes.ExceedsFrequencyLimit;
            case KeyExchangeGrant.TrackingFull:
                KeyLog.KeyExchangeTrackingFull(_logger, terminal.TerminalId, ResponseCodes.ExceedsFrequencyLimit, KeyExchangeRateLimit.MaxTrackedTerminals);
                return ResponseCodes.ExceedsFrequencyLimit;
            default:
                return ResponseCodes.ExceedsFrequencyLimit;
        }
    }

    private void LogNotLater(TerminalRecord terminal)
    {
        if (ShouldLogRefusal(terminal, "replayed key exchange"))
        {
            KeyLog.KeyExchangeNotLater(_logger, terminal.TerminalId, ResponseCodes.SecurityViolation);
        }
    }

    private bool ShouldLogRefusal(TerminalRecord terminal, string kind) => _refusals.ShouldLog(_logger, terminal.TerminalId, kind);

    /// <summary>The keys pending for <paramref name="terminal"/> under its TMK in DE 48, as the exchange that issued them was answered.</summary>
    private string AnswerPendingKeysAgain(MessageContext context, TerminalRecord terminal)
    {
        var pending = terminal.PendingKeys!;
        KeyLog.KeyExchangeRepeated(_logger, terminal.TerminalId, KeyCheckValue.ToHex(pending.PinKey), KeyCheckValue.ToHex(pending.MacKey));
        var data = new byte[KeyExchangeDataLength];
        KeyExchangeData.Write(terminal.MasterKey, pending.PinKey, pending.MacKey, data);
        context.Response.Set(DataElements.AdditionalData, data);
        CryptographicOperations.ZeroMemory(data);
        return ResponseCodes.Approved;
    }

    /// <summary>
    /// Issues a new TPK and TAK, stores them durably as the terminal's pending keys (its current keys stay in force until
    /// it first uses the new ones), journals the exchange with the keys' KCVs, and returns them under the TMK in DE 48.
    /// The terminal gets the keys only once both are on disk.
    /// </summary>
    private async ValueTask<string> ExchangeKeysAsync(
        MessageContext context, TerminalRecord terminal, KeyExchangeRequest exchange, CancellationToken cancellationToken)
    {
        var pinKey = new byte[16];
        var macKey = new byte[16];
        KeyWrapping.GenerateWorkingKey(pinKey);
        KeyWrapping.GenerateWorkingKey(macKey);
        var stored = await _ledger.StorePendingKeysAsync(terminal.TerminalId, pinKey, macKey, exchange, cancellationToken);
        if (stored.Order != KeyExchangeOrder.Later)
        {
            // The stored record (another host's exchange, or one this host stored since the session read it) decided.
            CryptographicOperations.ZeroMemory(pinKey);
            CryptographicOperations.ZeroMemory(macKey);
            if (stored.Order == KeyExchangeOrder.RepeatOfPending)
            {
                return AnswerPendingKeysAgain(context, stored.Terminal);
            }

            LogNotLater(terminal);
            return ResponseCodes.SecurityViolation;
        }

        var pinKeyCheck = KeyCheckValue.ToHex(pinKey);
        var macKeyCheck = KeyCheckValue.ToHex(macKey);
        var journaled = await _ledger.ExecuteAsync(KeyEvents.Journal(context, terminal, JournalDisposition.KeysIssued, pinKeyCheck, macKeyCheck, _time), cancellationToken);
        if (journaled.ResponseCode != ResponseCodes.Approved)
        {
            // Saturated (91) or failed: the pending keys stay unused, and the terminal keeps its current ones.
            CryptographicOperations.ZeroMemory(pinKey);
            CryptographicOperations.ZeroMemory(macKey);
            return journaled.ResponseCode;
        }

        KeyLog.KeysIssued(_logger, terminal.TerminalId, pinKeyCheck, macKeyCheck);
        var data = new byte[KeyExchangeDataLength];
        KeyExchangeData.Write(terminal.MasterKey, pinKey, macKey, data);
        context.Response.Set(DataElements.AdditionalData, data);
        CryptographicOperations.ZeroMemory(data);
        return ResponseCodes.Approved;
    }
}
