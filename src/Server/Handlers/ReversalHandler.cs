using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Handlers;

/// <summary>
/// Reversals 0400/0401 and reversal advices 0420/0421: find the original from DE 90 and this terminal, and restore
/// what was not dispensed (everything, or original minus DE 95's actual amount). The ledger makes it happen once, and only
/// for a reversal that belongs to its original: the same card (DE 2, or the PAN of track 2) and the same DE 4, which is
/// why a reversal without a well-formed PAN is a format error here.
/// </summary>
internal sealed class ReversalHandler : IMessageHandler
{
    private static readonly int[] Mandatory = [DataElements.ProcessingCode, DataElements.Amount, DataElements.TransmissionDateTime, DataElements.Stan, DataElements.TerminalId, DataElements.OriginalDataElements];
    private static readonly int[] Echoed = [DataElements.PrimaryAccountNumber, DataElements.ProcessingCode, DataElements.Amount, DataElements.TransmissionDateTime, DataElements.Stan, DataElements.AcquirerId, DataElements.TerminalId, DataElements.Currency, DataElements.OriginalDataElements, DataElements.ReplacementAmounts];

    private readonly ILedger _ledger;
    private readonly TimeProvider _time;

    public ReversalHandler(ILedger ledger, TimeProvider time)
    {
        _ledger = ledger;
        _time = time;
    }

    public ReadOnlySpan<int> MandatoryFields => Mandatory;

    public ReadOnlySpan<int> EchoedFields => Echoed;

    public bool IsFinancial => true;

    public async ValueTask HandleAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var pan = CardFields.Pan(request);
        if (pan.Length is < 13 or > 19 || pan.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
            || !RequestFields.TryOriginalKey(request, context.Terminal!.TerminalId, out var originalKey)
            || !RequestFields.TryDispensedAmount(request, out var dispensed))
        {
            context.Answer(ResponseCodes.FormatError);
            return;
        }

        request.TryGetNumber(DataElements.Amount, out var amount);
        request.TryGetNumber(DataElements.Currency, out var currency);
        var ledgerRequest = new LedgerRequest
        {
            Kind = TransactionKind.Reversal,
            Key = RequestFields.Key(request, context.Terminal!.TerminalId),
            Mti = request.Mti,
            Pan = Encoding.ASCII.GetString(pan),
            Amount = amount,
            Currency = (int)currency,
            OriginalKey = originalKey,
            DispensedAmount = dispensed,
            ReceivedAt = _time.GetUtcNow(),
        };

        var outcome = await _ledger.ExecuteAsync(ledgerRequest, context.Trace, cancellationToken);
        ResponseFields.Apply(outcome, context.Response);
    }
}
