using System.Text;
using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Protocol.Tests.Documentation;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Protocol.Tests.Upstream;

/// <summary>
/// The messages of PROTOCOL.md §15 (the host as acquirer), built with the codec, <see cref="PinBlock"/> and
/// <see cref="OriginalDataElements"/>. They tell one story on 14 March, on the demo route to the issuer simulator:
/// the host signs a connection on; ATM00009 withdraws 60.00 with the simulator's demo card, which the host forwards
/// and the issuer approves; ATM00009 then withdraws 20.00, the issuer never answers, the terminal gets 91 and the
/// host reverses the forwarded request with an 0420 (DE 39 = 68), which the issuer accepts.
/// </summary>
internal static class UpstreamExamples
{
    /// <summary>The published demo ZPK of the demo route (double-length; demo only, never for production).</summary>
    public const string DemoZonePinKeyHex = "1F2E3D4C5B6A79880918273645546372";

    /// <summary>The issuer simulator's demo card on BIN 541333 (Luhn-valid) and its PIN.</summary>
    public const string DemoPan = "5413330000000019";

    public const string DemoPin = "1234";

    /// <summary>The route's AcquirerId in the examples: the DE 32 the host sends upstream.</summary>
    public const string AcquirerId = "654321";

    /// <summary>DE 32 of ATM00009's own requests (§14); the host does not forward it.</summary>
    public const string TerminalAcquirerId = "123456";

    public const string TerminalId = "ATM00009";

    public const string ApprovedRrn = "000000000046";
    public const string AbandonedRrn = "000000000047";

    // The forwarded withdrawal that the issuer never answered: the 0420 of 15.7 names it.
    public const string AbandonedTransmissionDateTime = "0314095500";
    public const int AbandonedStan = 3;

    public static byte[] DemoZonePinKey => Convert.FromHexString(DemoZonePinKeyHex);

    public static IReadOnlyList<ProtocolExample> All { get; } =
    [
        SignOnRequest(),
        SignOnResponse(),
        WithdrawalRequest(),
        WithdrawalResponse(),
        ReversalAdvice(),
        ReversalAdviceResponse(),
    ];

    /// <summary>The document name of an example (its generated block is <c>example:NAME</c>).</summary>
    public static ProtocolExample Named(string name) => All.Single(e => e.Name == name);

    /// <summary>The terminal's DE 52: PIN 1234 for the demo card under the demo TPK, as ATM00009 sends it.</summary>
    public static byte[] TerminalPinBlock() => EncryptPinBlock(DemoKeys.PinKey);

    /// <summary>The upstream DE 52: the same PIN for the same PAN under the demo ZPK.</summary>
    public static byte[] ZonePinBlock() => EncryptPinBlock(DemoZonePinKey);

    private static ProtocolExample SignOnRequest()
    {
        var message = Message(
            MessageTypes.NetworkManagementRequest,
            (DataElements.TransmissionDateTime, "0314085930"),
            (DataElements.Stan, "000001"),
            (DataElements.AcquirerId, AcquirerId),
            (DataElements.NetworkManagementCode, NetworkManagementCodes.SignOn.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)));
        return new("upstream-sign-on-request", "network management request, acquirer to issuer", message, new Dictionary<int, string>
        {
            [DataElements.TransmissionDateTime] = "the acquirer's clock when sent, MMDDhhmmss (GMT): 14 March 08:59:30",
            [DataElements.Stan] = "from the route's STAN counter",
            [DataElements.AcquirerId] = "the route's AcquirerId",
            [DataElements.NetworkManagementCode] = "001 = sign-on: this connection may carry financial traffic once answered 00",
        });
    }

    private static ProtocolExample SignOnResponse()
    {
        var message = Message(
            MessageTypes.NetworkManagementResponse,
            (DataElements.TransmissionDateTime, "0314085930"),
            (DataElements.Stan, "000001"),
            (DataElements.AcquirerId, AcquirerId),
            (DataElements.ResponseCode, ResponseCodes.Approved),
            (DataElements.NetworkManagementCode, NetworkManagementCodes.SignOn.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)));
        return new("upstream-sign-on-response", "network management response, issuer to acquirer", message, new Dictionary<int, string>
        {
            [DataElements.TransmissionDateTime] = "echoed",
            [DataElements.Stan] = "echoed",
            [DataElements.AcquirerId] = "echoed",
            [DataElements.ResponseCode] = "00 = signed on: the acquirer now sends financial requests over this connection",
            [DataElements.NetworkManagementCode] = "echoed",
        });
    }

    private static ProtocolExample WithdrawalRequest()
    {
        var message = Message(
            MessageTypes.FinancialRequest,
            (DataElements.PrimaryAccountNumber, DemoPan),
            (DataElements.ProcessingCode, "012000"),
            (DataElements.Amount, "000000006000"),
            (DataElements.TransmissionDateTime, "0314095000"),
            (DataElements.Stan, "000002"),
            (DataElements.LocalTime, "095000"),
            (DataElements.LocalDate, "0314"),
            (DataElements.ExpirationDate, "2812"),
            (DataElements.PosEntryMode, "012"),
            (DataElements.AcquirerId, AcquirerId),
            (DataElements.RetrievalReference, ApprovedRrn),
            (DataElements.TerminalId, TerminalId),
            (DataElements.Currency, "840"));
        message.Set(DataElements.PinBlock, ZonePinBlock());
        return new("upstream-withdrawal-request", "financial transaction request, acquirer to issuer", message, new Dictionary<int, string>
        {
            [DataElements.PrimaryAccountNumber] = "the terminal's DE 2: the simulator's demo card",
            [DataElements.ProcessingCode] = "the terminal's: cash withdrawal from checking",
            [DataElements.Amount] = "the terminal's: 60.00",
            [DataElements.TransmissionDateTime] = "the acquirer's own, when sent: 14 March 09:50:00 GMT (the terminal's DE 7 is not forwarded)",
            [DataElements.Stan] = "the route's next STAN (the terminal's was 000126)",
            [DataElements.LocalTime] = "the terminal's",
            [DataElements.LocalDate] = "the terminal's",
            [DataElements.ExpirationDate] = "the terminal's (no track 2 was sent)",
            [DataElements.PosEntryMode] = "the terminal sent none: 012, PAN keyed, PIN entered (021 when track 2 is sent)",
            [DataElements.AcquirerId] = "the route's AcquirerId, not the terminal's 123456",
            [DataElements.RetrievalReference] = "assigned by the acquirer; the issuer's book keys on DE 32 + DE 37",
            [DataElements.TerminalId] = "the terminal's",
            [DataElements.Currency] = "the terminal's: USD",
            [DataElements.PinBlock] = "PIN 1234 for this PAN, format 0, under the route's ZPK (the demo ZPK): translated from the terminal's block under its TPK",
        });
    }

    private static ProtocolExample WithdrawalResponse()
    {
        var message = Message(
            MessageTypes.FinancialResponse,
            (DataElements.PrimaryAccountNumber, DemoPan),
            (DataElements.ProcessingCode, "012000"),
            (DataElements.Amount, "000000006000"),
            (DataElements.TransmissionDateTime, "0314095000"),
            (DataElements.Stan, "000002"),
            (DataElements.AcquirerId, AcquirerId),
            (DataElements.RetrievalReference, ApprovedRrn),
            (DataElements.AuthorizationId, "503318"),
            (DataElements.ResponseCode, ResponseCodes.Approved),
            (DataElements.TerminalId, TerminalId),
            (DataElements.AdditionalAmounts, "2001840C000000094000" + "2002840C000000094000"));
        return new("upstream-withdrawal-response", "financial transaction response, issuer to acquirer", message, new Dictionary<int, string>
        {
            [DataElements.PrimaryAccountNumber] = "echoed (optional; when echoed it must be the request's)",
            [DataElements.ProcessingCode] = "echoed (optional; when echoed it must be the request's)",
            [DataElements.Amount] = "echoed (optional; when echoed it must be the request's)",
            [DataElements.TransmissionDateTime] = "echoed: part of the matching key",
            [DataElements.Stan] = "echoed: part of the matching key",
            [DataElements.AcquirerId] = "echoed: part of the matching key",
            [DataElements.RetrievalReference] = "echoed: it must be the request's",
            [DataElements.AuthorizationId] = "the issuer's authorization id: mandatory with 00",
            [DataElements.ResponseCode] = "00 = approved: passed to the terminal unchanged, which dispenses",
            [DataElements.TerminalId] = "echoed: part of the matching key",
            [DataElements.AdditionalAmounts] = "optional: the card's ledger (01) and available (02) balance as the issuer keeps them, 940.00 each (§9's layout)",
        });
    }

    private static ProtocolExample ReversalAdvice()
    {
        var original = new OriginalDataElements(MessageTypes.FinancialRequest, AbandonedStan, AbandonedTransmissionDateTime, AcquirerId);
        var message = Message(
            MessageTypes.ReversalAdvice,
            (DataElements.PrimaryAccountNumber, DemoPan),
            (DataElements.ProcessingCode, "012000"),
            (DataElements.Amount, "000000002000"),
            (DataElements.TransmissionDateTime, "0314095508"),
            (DataElements.Stan, "000004"),
            (DataElements.AcquirerId, AcquirerId),
            (DataElements.RetrievalReference, AbandonedRrn),
            (DataElements.ResponseCode, ResponseCodes.ResponseReceivedTooLate),
            (DataElements.TerminalId, TerminalId),
            (DataElements.Currency, "840"),
            (DataElements.OriginalDataElements, original.Format()));
        return new("upstream-reversal-advice", "reversal advice, acquirer to issuer", message, new Dictionary<int, string>
        {
            [DataElements.PrimaryAccountNumber] = "the original's card",
            [DataElements.ProcessingCode] = "the original's",
            [DataElements.Amount] = "the original's amount, 20.00",
            [DataElements.TransmissionDateTime] = "this advice's own: 14 March 09:55:08 GMT, the original's 8 s budget spent",
            [DataElements.Stan] = "this advice's own STAN",
            [DataElements.AcquirerId] = "the route's AcquirerId",
            [DataElements.RetrievalReference] = "the original's RRN: with DE 32, the key of the issuer's book",
            [DataElements.ResponseCode] = "the reason: 68 = the acquirer gave up on the original (no answer in time); 17 when the terminal asked",
            [DataElements.TerminalId] = "the original's terminal",
            [DataElements.Currency] = "the original's",
            [DataElements.OriginalDataElements] = "original MTI 0200, STAN 000003, DE 7 0314095500, acquirer 00000654321, forwarding institution 00000000000; no DE 95: a full reversal",
        });
    }

    private static ProtocolExample ReversalAdviceResponse()
    {
        var message = Message(
            MessageTypes.ReversalAdviceResponse,
            (DataElements.TransmissionDateTime, "0314095508"),
            (DataElements.Stan, "000004"),
            (DataElements.AcquirerId, AcquirerId),
            (DataElements.RetrievalReference, AbandonedRrn),
            (DataElements.ResponseCode, ResponseCodes.Approved),
            (DataElements.TerminalId, TerminalId));
        return new("upstream-reversal-advice-response", "reversal advice response, issuer to acquirer", message, new Dictionary<int, string>
        {
            [DataElements.TransmissionDateTime] = "echoed: the advice's, part of the matching key",
            [DataElements.Stan] = "echoed: the advice's, part of the matching key",
            [DataElements.AcquirerId] = "echoed",
            [DataElements.RetrievalReference] = "echoed: the original's RRN",
            [DataElements.ResponseCode] = "00 = recorded: the original is reversed (or, never seen, will be declined 94 if it arrives); the same 00 to every 0421",
            [DataElements.TerminalId] = "echoed",
        });
    }

    private static byte[] EncryptPinBlock(byte[] key)
    {
        var block = new byte[PinBlock.Length];
        PinBlock.Encrypt(key, Encoding.ASCII.GetBytes(DemoPin), Encoding.ASCII.GetBytes(DemoPan), block);
        return block;
    }

    private static IsoMessage Message(int mti, params (int Field, string Value)[] fields)
    {
        var message = new IsoMessage { Mti = mti };
        foreach (var (field, value) in fields)
        {
            message.Set(field, value);
        }

        return message;
    }
}
