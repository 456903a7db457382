using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Handlers;

/// <summary>
/// A financial request or key exchange of a terminal without a MAC key over a connection that does not vouch for it (neither a loopback
/// listener nor a client certificate naming the terminal; <see cref="TerminalAuthenticationGate"/>): never processed,
/// answered 58, and journaled as a security event (masked PAN, terminal, key; reason <c>unauthenticated_terminal</c>) —
/// it is an attacker who knows a terminal id, or a terminal connected the wrong way, and either belongs on the books.
/// </summary>
internal sealed class UnauthenticatedTerminalHandler : IMessageHandler
{
    private readonly ILedger _ledger;
    private readonly ThrottledViolations _violations;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public UnauthenticatedTerminalHandler(ILedger ledger, ThrottledViolations violations, TimeProvider time, ILogger<UnauthenticatedTerminalHandler> logger)
    {
        _ledger = ledger;
        _violations = violations;
        _time = time;
        _logger = logger;
    }

    public ReadOnlySpan<int> MandatoryFields => [];

    /// <summary>Nothing of its own: it answers in place of the route's handler, whose elements are already echoed.</summary>
    public ReadOnlySpan<int> EchoedFields => [];

    public bool IsFinancial => true;

    public async ValueTask HandleAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (_violations.UnauthenticatedTerminal(context))
        {
            // Past the threshold: answered at once, counted, and summed up in the terminal's one row for the window.
            context.Answer(ResponseCodes.NotPermittedToTerminal);
            return;
        }

        Log.Refused(
            _logger,
            MessageTypes.Format(request.Mti),
            ResponseCodes.NotPermittedToTerminal,
            "terminal without a MAC key, on a connection that does not vouch for it (not a loopback listener, and no client certificate naming it)");
        var refusal = RefusedRequests.Describe(context, _time, isSecurityViolation: false, isUnauthenticatedTerminal: true);

        // Whatever the ledger answers (it may be saturated), the terminal gets 58: the request was never to be processed.
        await _ledger.ExecuteAsync(refusal, cancellationToken);
        context.Answer(ResponseCodes.NotPermittedToTerminal);
    }
}
