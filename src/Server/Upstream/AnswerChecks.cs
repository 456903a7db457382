using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Server.Upstream;

/// <summary>
/// The contract's checks on a matched issuer answer (its MTI and key already match the request): an answer that fails
/// one is untrusted and treated exactly as no answer — never passed on as an approval.
/// </summary>
internal static class AnswerChecks
{
    /// <summary>The first check <paramref name="answer"/> fails, or <see cref="UntrustedReason.None"/>.</summary>
    /// <param name="macKey">The route's ZAK when it MACs; the answer must then carry a MAC that verifies.</param>
    public static UntrustedReason Check(IsoMessage request, IsoMessage answer, ReadOnlySpan<byte> macKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(answer);
        if (!macKey.IsEmpty && !RetailMac.Verify(macKey, answer))
        {
            return UntrustedReason.BadMac;
        }

        var responseCode = answer.Get(DataElements.ResponseCode);
        if (responseCode.Length != 2 || !IsAsciiLetterOrDigit(responseCode[0]) || !IsAsciiLetterOrDigit(responseCode[1]))
        {
            return UntrustedReason.BadResponseCode;
        }

        if (request.Has(DataElements.RetrievalReference)
            && !answer.Get(DataElements.RetrievalReference).SequenceEqual(request.Get(DataElements.RetrievalReference)))
        {
            return UntrustedReason.RetrievalReferenceMismatch;
        }

        if (EchoDiffers(request, answer, DataElements.PrimaryAccountNumber))
        {
            return UntrustedReason.PanMismatch;
        }

        if (EchoDiffers(request, answer, DataElements.ProcessingCode))
        {
            return UntrustedReason.ProcessingCodeMismatch;
        }

        if (EchoDiffers(request, answer, DataElements.Amount))
        {
            return UntrustedReason.AmountMismatch;
        }

        var authorizes = MessageTypes.ClassOf(request.Mti) is MessageTypes.AuthorizationRequest or MessageTypes.FinancialRequest;
        if (authorizes && IsAscii(responseCode, ResponseCodes.Approved) && !answer.Has(DataElements.AuthorizationId))
        {
            return UntrustedReason.ApprovalWithoutAuthorizationId;
        }

        return UntrustedReason.None;
    }

    /// <summary>An echo is optional, but an echo that is there must be the request's value.</summary>
    private static bool EchoDiffers(IsoMessage request, IsoMessage answer, int field) =>
        answer.Has(field) && !answer.Get(field).SequenceEqual(request.Get(field));

    private static bool IsAscii(ReadOnlySpan<byte> bytes, string text) => System.Text.Ascii.Equals(bytes, text);

    private static bool IsAsciiLetterOrDigit(byte b) => char.IsAsciiLetterOrDigit((char)b);
}
