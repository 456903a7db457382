using System.Globalization;
using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Handlers;

/// <summary>
/// A financial request of a terminal without a MAC key over a connection that does not vouch for it (neither a loopback
/// listener nor a client certificate naming the terminal; <see cref="TerminalAuthenticationGate"/>): never processed,
/// answered 58, and journaled as a security event (masked PAN, terminal, key; reason <c>unauthenticated_terminal</c>) —
/// it is an attacker who knows a terminal id, or a terminal connected the wrong way, and either belongs on the books.
/// </summary>
internal sealed class UnauthenticatedTerminalHandler : IMessageHandler
{
    /// <summary>
    /// The first two digits of DE 3 for a withdrawal, compared as bytes: the gate runs before DE 3 is checked, so the
    /// processing code here may be malformed and only its start counts.
    /// </summary>
    private static readonly byte[] WithdrawalTransactionType =
        Encoding.ASCII.GetBytes(TransactionTypes.CashWithdrawal.ToString("D2", CultureInfo.InvariantCulture));

    private readonly ILedger _ledger;
    private readonly TimeProvider _time;

    public UnauthenticatedTerminalHandler(ILedger ledger, TimeProvider time)
    {
        _ledger = ledger;
        _time = time;
    }

    public ReadOnlySpan<int> MandatoryFields => [];

    /// <summary>Nothing of its own: it answers in place of the route's handler, whose elements are already echoed.</summary>
    public ReadOnlySpan<int> EchoedFields => [];

    public bool IsFinancial => true;

    public async ValueTask HandleAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        request.TryGetNumber(DataElements.Amount, out var amount);
        var pan = CardFields.Pan(request);
        var refusal = new LedgerRequest
        {
            Kind = KindOf(request),
            Key = RequestFields.Key(request, context.Terminal!.TerminalId),
            Mti = request.Mti,
            Pan = pan.Length is >= 13 and <= 19 ? Encoding.ASCII.GetString(pan) : string.Empty,
            Amount = amount,
            IsUnauthenticatedTerminal = true,
            ReceivedAt = _time.GetUtcNow(),
        };

        // Whatever the ledger answers (it may be saturated), the terminal gets 58: the request was never to be processed.
        await _ledger.ExecuteAsync(refusal, cancellationToken);
        context.Answer(ResponseCodes.NotPermittedToTerminal);
    }

    private static TransactionKind KindOf(IsoMessage request) =>
        MessageTypes.ClassOf(request.Mti) is MessageTypes.ReversalRequest or MessageTypes.ReversalAdvice ? TransactionKind.Reversal
        : request.Get(DataElements.ProcessingCode).StartsWith(WithdrawalTransactionType) ? TransactionKind.Withdrawal
        : TransactionKind.BalanceInquiry;
}
