using Microsoft.Extensions.Logging;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Handlers;

/// <summary>0800 network management: sign-on (001), sign-off (002) and echo (301) by DE 70.</summary>
internal sealed class NetworkManagementHandler : IMessageHandler
{
    private static readonly int[] Mandatory = [7, 11, 41, 70];

    private readonly TerminalDirectory _directory;
    private readonly ILogger _logger;

    public NetworkManagementHandler(TerminalDirectory directory, ILogger<NetworkManagementHandler> logger)
    {
        _directory = directory;
        _logger = logger;
    }

    public ReadOnlySpan<int> MandatoryFields => Mandatory;

    public bool RequiresSignOn => false;

    public async ValueTask HandleAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        context.Response.CopyFrom(request, 70);
        var terminalId = RequestFields.TerminalId(request);
        request.TryGetNumber(70, out var code);
        var responseCode = code switch
        {
            NetworkManagementCodes.SignOn => await SignOnAsync(context, terminalId, cancellationToken),
            NetworkManagementCodes.SignOff => await SignOffAsync(context, terminalId, cancellationToken),
            NetworkManagementCodes.Echo => await EchoAsync(terminalId, cancellationToken),
            _ => ResponseCodes.InvalidTransaction,
        };
        context.Answer(responseCode);
        Log.NetworkManagement(_logger, request.GetString(70) ?? "---", terminalId, responseCode);
    }

    private async ValueTask<string> SignOnAsync(MessageContext context, string terminalId, CancellationToken cancellationToken)
    {
        var terminal = await _directory.RefreshAsync(terminalId, cancellationToken);
        if (terminal is not { Enabled: true })
        {
            return ResponseCodes.NotPermittedToTerminal;
        }

        context.Terminals.SignOn(terminal);
        return ResponseCodes.Approved;
    }

    private async ValueTask<string> SignOffAsync(MessageContext context, string terminalId, CancellationToken cancellationToken)
    {
        var terminal = await _directory.FindAsync(terminalId, cancellationToken);
        context.Terminals.SignOff(terminalId);
        return terminal is null ? ResponseCodes.NotPermittedToTerminal : ResponseCodes.Approved;
    }

    private async ValueTask<string> EchoAsync(string terminalId, CancellationToken cancellationToken)
    {
        var terminal = await _directory.FindAsync(terminalId, cancellationToken);
        return terminal is { Enabled: true } ? ResponseCodes.Approved : ResponseCodes.NotPermittedToTerminal;
    }
}
