using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Handlers;

/// <summary>
/// A request of a MAC terminal (financial, or an 0800) whose MAC is missing or wrong: never processed, answered 63 without
/// a MAC, and journaled as a security event (masked PAN, terminal, key; an 0800's DE 70) so that tampering attempts are
/// on the books, not only in a log. Beyond <c>Security:ViolationThreshold</c> within a window for its terminal or its
/// address (<see cref="ThrottledViolations"/>) it is answered 63 at once, neither journaled nor logged on its own: the
/// window's throttled violations become one journal row, so a flood of bad MACs costs no durable write each.
/// </summary>
internal sealed class SecurityViolationHandler : IMessageHandler
{
    private readonly ILedger _ledger;
    private readonly ThrottledViolations _violations;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SecurityViolationHandler(ILedger ledger, ThrottledViolations violations, TimeProvider time, ILogger<SecurityViolationHandler> logger)
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
        if (_violations.MacFailure(context))
        {
            context.Answer(ResponseCodes.SecurityViolation);
            return;
        }

        Log.Refused(_logger, MessageTypes.Format(request.Mti), ResponseCodes.SecurityViolation, "MAC missing or wrong");
        var violation = RefusedRequests.Describe(context, _time, isSecurityViolation: true, isUnauthenticatedTerminal: false);

        // Whatever the ledger answers (it may be saturated), the terminal gets 63.
        await _ledger.ExecuteAsync(violation, cancellationToken);
        context.Answer(ResponseCodes.SecurityViolation);
    }
}
