using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Handlers;

/// <summary>
/// 0800 network management by DE 70: sign-on (001), sign-off (002), echo (301) and key exchange (161).
/// The dispatcher has already checked that DE 41 names a registered, enabled terminal.
/// </summary>
internal sealed class NetworkManagementHandler : IMessageHandler
{
    private const int KeyExchangeDataLength = 82;
    private static readonly int[] Mandatory = [DataElements.TransmissionDateTime, DataElements.Stan, DataElements.TerminalId, DataElements.NetworkManagementCode];
    private static readonly int[] Echoed = [DataElements.TransmissionDateTime, DataElements.Stan, DataElements.TerminalId, DataElements.NetworkManagementCode];

    private readonly ILedger _ledger;
    private readonly ILogger _logger;

    public NetworkManagementHandler(ILedger ledger, ILogger<NetworkManagementHandler> logger)
    {
        _ledger = ledger;
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
                    ? await ExchangeKeysAsync(context, terminal, cancellationToken)
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
    /// Issues a new TPK and TAK, stores them durably and makes them current at once (the ledger stores them pending, then
    /// promotes them: the host still switches keys when it answers), and returns them under the TMK in DE 48.
    /// </summary>
    private async ValueTask<string> ExchangeKeysAsync(MessageContext context, TerminalRecord terminal, CancellationToken cancellationToken)
    {
        var pinKey = new byte[16];
        var macKey = new byte[16];
        KeyWrapping.GenerateWorkingKey(pinKey);
        KeyWrapping.GenerateWorkingKey(macKey);
        await _ledger.StorePendingKeysAsync(terminal.TerminalId, pinKey, macKey, cancellationToken);
        await _ledger.PromotePendingKeysAsync(terminal.TerminalId, pinKey, macKey, cancellationToken);

        var data = new byte[KeyExchangeDataLength];
        KeyExchangeData.Write(terminal.MasterKey, pinKey, macKey, data);
        context.Response.Set(DataElements.AdditionalData, data);
        CryptographicOperations.ZeroMemory(data);
        return ResponseCodes.Approved;
    }
}
