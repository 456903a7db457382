using System.Globalization;
using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Handlers;

/// <summary>Reads the request values handlers share: terminal id, idempotency key, account type, DE 90 and DE 95.</summary>
internal static class RequestFields
{
    private const int AcquirerIdLength = 11;

    /// <summary>The request's idempotency key: DE 32 (zero-filled to 11), the terminal (DE 41), DE 11, DE 7.</summary>
    public static RequestKey Key(IsoMessage request, string terminalId)
    {
        request.TryGetNumber(11, out var stan);
        return new RequestKey(
            Encoding.ASCII.GetString(request.Get(32)).PadLeft(AcquirerIdLength, '0'),
            terminalId,
            (int)stan,
            Encoding.ASCII.GetString(request.Get(7)));
    }

    /// <summary>The from-account type in positions 3–4 of DE 3, or null when SocketAtm does not know it.</summary>
    public static AccountType? FromAccount(IsoMessage request)
    {
        var code = request.Get(3);
        if (code.Length < 4)
        {
            return null;
        }

        return (((code[2] - '0') * 10) + (code[3] - '0')) switch
        {
            0 => AccountType.Default,
            10 => AccountType.Savings,
            20 => AccountType.Checking,
            30 => AccountType.Credit,
            _ => null,
        };
    }

    /// <summary>
    /// The original's key from DE 90 (original MTI 4, STAN 6, transmission date-time 10, acquirer id 11, forwarding
    /// institution 11) and this request's terminal; false when DE 90 is not 42 digits.
    /// </summary>
    public static bool TryOriginalKey(IsoMessage request, string terminalId, out RequestKey originalKey)
    {
        originalKey = default;
        var data = request.Get(90);
        if (data.Length != 42)
        {
            return false;
        }

        var stan = int.Parse(Encoding.ASCII.GetString(data.Slice(4, 6)), NumberStyles.None, CultureInfo.InvariantCulture);
        originalKey = new RequestKey(
            Encoding.ASCII.GetString(data.Slice(20, AcquirerIdLength)),
            terminalId,
            stan,
            Encoding.ASCII.GetString(data.Slice(10, 10)));
        return true;
    }

    /// <summary>The actual (dispensed) amount in DE 95's first 12 characters; null when DE 95 is absent, false when malformed.</summary>
    public static bool TryDispensedAmount(IsoMessage request, out long? dispensed)
    {
        dispensed = null;
        if (!request.Has(95))
        {
            return true;
        }

        var actual = request.Get(95)[..12];
        long value = 0;
        foreach (var b in actual)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        dispensed = value;
        return true;
    }
}
