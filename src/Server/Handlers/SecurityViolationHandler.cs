using System.Globalization;
using System.Text;
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
    /// <summary>
    /// The first two digits of DE 3 for a withdrawal. Compared as bytes, not read with <see cref="ProcessingCodes"/>: the
    /// MAC is checked before DE 3 is, so the processing code here may be malformed and only its start counts.
    /// </summary>
    private static readonly byte[] WithdrawalTransactionType =
        Encoding.ASCII.GetBytes(TransactionTypes.CashWithdrawal.ToString("D2", CultureInfo.InvariantCulture));

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
        request.TryGetNumber(DataElements.Amount, out var amount);
        var pan = CardFields.Pan(request);
        var violation = new LedgerRequest
        {
            Kind = KindOf(request),
            Key = RequestFields.Key(request, context.Terminal!.TerminalId),
            Mti = request.Mti,
            Pan = pan.Length is >= 13 and <= 19 ? Encoding.ASCII.GetString(pan) : string.Empty,
            Amount = amount,
            IsSecurityViolation = true,
            Detail = MessageTypes.ClassOf(request.Mti) == MessageTypes.NetworkManagementRequest ? NetworkManagementDetail(request) : null,
            ReceivedAt = _time.GetUtcNow(),
        };

        // Whatever the ledger answers (it may be saturated), the terminal gets 63.
        await _ledger.ExecuteAsync(violation, cancellationToken);
        context.Answer(ResponseCodes.SecurityViolation);
    }

    /// <summary>"DE 70 161": what the 0800 asked for, its three digits only when they are digits (it is checked after the MAC).</summary>
    private static string NetworkManagementDetail(IsoMessage request)
    {
        var code = request.Get(DataElements.NetworkManagementCode);
        return code.Length == 3 && code.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
            ? "DE 70 " + Encoding.ASCII.GetString(code)
            : "DE 70 missing or malformed";
    }

    private static TransactionKind KindOf(IsoMessage request)
    {
        var mtiClass = MessageTypes.ClassOf(request.Mti);
        if (mtiClass is MessageTypes.ReversalRequest or MessageTypes.ReversalAdvice)
        {
            return TransactionKind.Reversal;
        }

        if (mtiClass == MessageTypes.NetworkManagementRequest)
        {
            return TransactionKind.NetworkManagement;
        }

        return request.Get(DataElements.ProcessingCode).StartsWith(WithdrawalTransactionType)
            ? TransactionKind.Withdrawal
            : TransactionKind.BalanceInquiry;
    }
}
