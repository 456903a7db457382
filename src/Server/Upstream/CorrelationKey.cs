using System.Globalization;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Server.Upstream;

/// <summary>
/// What ties an issuer's answer to its request: the request's MTI class, DE 11, DE 7, DE 41 and DE 32 (the contract's
/// matching key). An answer's key is read with its MTI turned back into the request class it answers (0210 → 0200).
/// </summary>
internal readonly record struct CorrelationKey(int MtiClass, long Stan, long TransmissionDateTime, string TerminalId, string AcquirerId)
{
    /// <summary>The key of a request about to be sent.</summary>
    public static CorrelationKey OfRequest(IsoMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Read(request, MessageTypes.ClassOf(request.Mti))
            ?? throw new ArgumentException("An upstream request needs DE 11 and DE 7 as digits.", nameof(request));
    }

    /// <summary>The key of the request <paramref name="answer"/> answers; null when its DE 11 or DE 7 is missing or not digits.</summary>
    public static CorrelationKey? OfAnswer(IsoMessage answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return Read(answer, answer.Mti - 10);
    }

    private static CorrelationKey? Read(IsoMessage message, int mtiClass) =>
        message.TryGetNumber(DataElements.Stan, out var stan) && message.TryGetNumber(DataElements.TransmissionDateTime, out var time)
            ? new CorrelationKey(mtiClass, stan, time, message.GetString(DataElements.TerminalId) ?? "", message.GetString(DataElements.AcquirerId) ?? "")
            : null;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{MessageTypes.Format(MtiClass)}/{Stan:D6}/{TransmissionDateTime:D10}/{TerminalId}/{AcquirerId}");
}
