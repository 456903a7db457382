using System.Globalization;
using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Handlers;

/// <summary>
/// What the journal keeps of a request refused before any check past the terminal's (a MAC that fails, a terminal
/// without a MAC key on a connection that does not vouch for it): its kind, key, MTI, masked card and DE 4, and an
/// 0800's DE 70 — read as far as they can be, since none of its fields has been checked yet. The ledger only journals it.
/// </summary>
internal static class RefusedRequests
{
    /// <summary>
    /// The first two digits of DE 3 for a withdrawal. Compared as bytes, not read with <see cref="ProcessingCodes"/>: the
    /// request is refused before DE 3 is checked, so the processing code may be malformed and only its start counts.
    /// </summary>
    private static readonly byte[] WithdrawalTransactionType =
        Encoding.ASCII.GetBytes(TransactionTypes.CashWithdrawal.ToString("D2", CultureInfo.InvariantCulture));

    /// <summary>The journal's request for the refused request in <paramref name="context"/>; the caller says which refusal it is.</summary>
    public static LedgerRequest Describe(MessageContext context, TimeProvider time, bool isSecurityViolation, bool isUnauthenticatedTerminal)
    {
        var request = context.Request;
        request.TryGetNumber(DataElements.Amount, out var amount);
        var pan = CardFields.Pan(request);
        return new LedgerRequest
        {
            Kind = KindOf(request),
            Key = RequestFields.Key(request, context.Terminal!.TerminalId),
            Mti = request.Mti,
            Pan = pan.Length is >= 13 and <= 19 ? Encoding.ASCII.GetString(pan) : string.Empty,
            Amount = amount,
            IsSecurityViolation = isSecurityViolation,
            IsUnauthenticatedTerminal = isUnauthenticatedTerminal,
            Detail = MessageTypes.ClassOf(request.Mti) == MessageTypes.NetworkManagementRequest ? NetworkManagementDetail(request) : null,
            ReceivedAt = time.GetUtcNow(),
        };
    }

    /// <summary>"DE 70 161": what the 0800 asked for, its three digits only when they are digits (it is not checked yet).</summary>
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
