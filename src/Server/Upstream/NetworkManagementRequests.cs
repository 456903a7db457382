using System.Globalization;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Server.Upstream;

/// <summary>The acquirer's 0800s on each connection: sign-on (001) before traffic, echo (301) when idle, sign-off (002) at stop.</summary>
internal static class NetworkManagementRequests
{
    /// <summary>An 0800 with DE 7, 11, 32 and 70 = <paramref name="code"/> (a <see cref="NetworkManagementCodes"/> value).</summary>
    public static IsoMessage Build(int code, int stan, DateTimeOffset now, string acquirerId)
    {
        var message = new IsoMessage { Mti = MessageTypes.NetworkManagementRequest };
        message.Set(DataElements.TransmissionDateTime, UpstreamTime.TransmissionDateTime(now));
        message.SetNumber(DataElements.Stan, stan);
        message.Set(DataElements.AcquirerId, acquirerId);
        message.SetNumber(DataElements.NetworkManagementCode, code);
        return message;
    }

    /// <summary>True for the issuer's 0810 accepting <paramref name="request"/>: DE 39 = 00 and DE 70 echoed.</summary>
    public static bool IsAccepted(IsoMessage request, IsoMessage answer)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(answer);
        return string.Equals(answer.GetString(DataElements.ResponseCode), ResponseCodes.Approved, StringComparison.Ordinal)
            && answer.Get(DataElements.NetworkManagementCode).SequenceEqual(request.Get(DataElements.NetworkManagementCode));
    }

    public static string Describe(IsoMessage answer) =>
        string.Create(CultureInfo.InvariantCulture, $"{MessageTypes.Format(answer.Mti)} DE 39 {answer.GetString(DataElements.ResponseCode) ?? "missing"}");
}
