using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Security;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Handlers;

/// <summary>
/// Balance inquiry (0100/0200, DE 3 30xxxx/31xxxx) and cash withdrawal (0200, DE 3 01xxxx): checks what the format
/// alone can tell, turns the PIN block into a candidate PVV, and lets the ledger's writer decide and apply.
/// </summary>
internal sealed class CardTransactionHandler : IMessageHandler
{
    private static readonly int[] WithdrawalMandatory = [DataElements.ProcessingCode, DataElements.Amount, DataElements.TransmissionDateTime, DataElements.Stan, DataElements.TerminalId, DataElements.Currency, DataElements.PinBlock];
    private static readonly int[] BalanceMandatory = [DataElements.ProcessingCode, DataElements.TransmissionDateTime, DataElements.Stan, DataElements.TerminalId, DataElements.PinBlock];
    private static readonly int[] Echoed = [DataElements.PrimaryAccountNumber, DataElements.ProcessingCode, DataElements.Amount, DataElements.TransmissionDateTime, DataElements.Stan, DataElements.LocalTime, DataElements.LocalDate, DataElements.AcquirerId, DataElements.TerminalId, DataElements.Currency];

    private readonly TransactionKind _kind;
    private readonly ILedger _ledger;
    private readonly PinVerifier _pins;
    private readonly TimeProvider _time;

    public CardTransactionHandler(TransactionKind kind, ILedger ledger, PinVerifier pins, TimeProvider time)
    {
        _kind = kind;
        _ledger = ledger;
        _pins = pins;
        _time = time;
    }

    public ReadOnlySpan<int> MandatoryFields => _kind == TransactionKind.Withdrawal ? WithdrawalMandatory : BalanceMandatory;

    public ReadOnlySpan<int> EchoedFields => Echoed;

    public bool IsFinancial => true;

    public async ValueTask HandleAsync(MessageContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var pan = CardFields.Pan(request);
        if (pan.Length is < 13 or > 19 || pan.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            context.Answer(ResponseCodes.FormatError);
            return;
        }

        if (RequestFields.FromAccount(request) is not { } accountType)
        {
            context.Answer(ResponseCodes.InvalidTransaction);
            return;
        }

        request.TryGetNumber(DataElements.Amount, out var amount);
        request.TryGetNumber(DataElements.Currency, out var currency);
        var panText = System.Text.Encoding.ASCII.GetString(pan);
        var pin = _pins.Verify(context.Terminal!, pan, request.Get(DataElements.PinBlock), _time.GetUtcNow());
        var ledgerRequest = new LedgerRequest
        {
            Kind = _kind,
            Key = RequestFields.Key(request, context.Terminal!.TerminalId),
            Mti = request.Mti,
            Pan = panText,
            AccountType = accountType,
            Amount = amount,
            Currency = (int)currency,
            HasPinBlock = true,
            CandidatePvv = pin.CandidatePvv,
            PreviousKeyCandidatePvv = pin.PreviousKeyCandidatePvv,
            EncryptedPinBlock = pin.EncryptedPinBlock,
            PinVerificationKeyIndex = _pins.KeyIndex,
            PinKeyVersion = pin.KeyVersion,
            ReceivedAt = _time.GetUtcNow(),
        };

        var outcome = await _ledger.ExecuteAsync(ledgerRequest, cancellationToken);
        ResponseFields.Apply(outcome, context.Response);
    }
}
