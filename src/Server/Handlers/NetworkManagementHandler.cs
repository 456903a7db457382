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
    private readonly AtmMetrics _metrics;
    private readonly ILogger _logger;

    public NetworkManagementHandler(ILedger ledger, KeyExchangeRateLimit keyExchanges, TimeProvider time, AtmMetrics metrics, ILogger<NetworkManagementHandler> logger)
    {
        _ledger = ledger;
        _keyExchanges = keyExchanges;
        _time = time;
        _metrics = metrics;
        _logger = logger;
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
    /// A key exchange within the terminal's rate (PROTOCOL.md §11.3); one over it is answered 65, changes nothing and is
    /// counted as a security event (logged once until the terminal's next granted exchange; not journaled).
    /// </summary>
    private async ValueTask<string> ExchangeKeysIfAllowedAsync(MessageContext context, TerminalRecord terminal, CancellationToken cancellationToken)
    {
        var grant = _keyExchanges.TryAcquire(terminal.TerminalId);
        if (grant != KeyExchangeGrant.Granted)
        {
            _metrics.SecurityEvent(KeyExchangeLimitReason);
        }

        switch (grant)
        {
            case KeyExchangeGrant.Granted:
                return await ExchangeKeysAsync(context, terminal, cancellationToken);
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

    /// <summary>
    /// Issues a new TPK and TAK, stores them durably as the terminal's pending keys (its current keys stay in force until
    /// it first uses the new ones), journals the exchange with the keys' KCVs, and returns them under the TMK in DE 48.
    /// The terminal gets the keys only once both are on disk.
    /// </summary>
    private async ValueTask<string> ExchangeKeysAsync(MessageContext context, TerminalRecord terminal, CancellationToken cancellationToken)
    {
        var pinKey = new byte[16];
        var macKey = new byte[16];
        KeyWrapping.GenerateWorkingKey(pinKey);
        KeyWrapping.GenerateWorkingKey(macKey);
        await _ledger.StorePendingKeysAsync(terminal.TerminalId, pinKey, macKey, cancellationToken);

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
