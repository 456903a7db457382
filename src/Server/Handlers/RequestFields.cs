using System.Text;
using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Handlers;

/// <summary>Reads the request values handlers share: terminal id, idempotency key, account type, DE 90 and DE 95.</summary>
internal static class RequestFields
{
    /// <summary>The request's idempotency key: DE 32 (zero-filled to 11), the terminal (DE 41), DE 11, DE 7.</summary>
    public static RequestKey Key(IsoMessage request, string terminalId)
    {
        request.TryGetNumber(DataElements.Stan, out var stan);
        return new RequestKey(
            Encoding.ASCII.GetString(request.Get(DataElements.AcquirerId)).PadLeft(OriginalDataElements.AcquirerIdLength, '0'),
            terminalId,
            (int)stan,
            Encoding.ASCII.GetString(request.Get(DataElements.TransmissionDateTime)));
    }

    /// <summary>The from-account type in positions 3–4 of DE 3, or null when SocketAtm does not know it.</summary>
    public static AccountType? FromAccount(IsoMessage request)
    {
        if (!ProcessingCodes.TryReadFromAccount(request.Get(DataElements.ProcessingCode), out var code))
        {
            return null;
        }

        return code switch
        {
            0 => AccountType.Default,
            10 => AccountType.Savings,
            20 => AccountType.Checking,
            30 => AccountType.Credit,
            _ => null,
        };
    }

    /// <summary>The original's key from DE 90 (<see cref="OriginalDataElements"/>) and this request's terminal; false when DE 90 is not 42 digits.</summary>
    public static bool TryOriginalKey(IsoMessage request, string terminalId, out RequestKey originalKey)
    {
        originalKey = default;
        if (!OriginalDataElements.TryParse(request.Get(DataElements.OriginalDataElements), out var original))
        {
            return false;
        }

        originalKey = new RequestKey(original.AcquirerId, terminalId, original.Stan, original.TransmissionDateTime);
        return true;
    }

    /// <summary>The actual (dispensed) amount of DE 95; null when DE 95 is absent, false when malformed.</summary>
    public static bool TryDispensedAmount(IsoMessage request, out long? dispensed)
    {
        dispensed = null;
        if (!request.Has(DataElements.ReplacementAmounts))
        {
            return true;
        }

        if (!ReplacementAmounts.TryReadActualAmount(request.Get(DataElements.ReplacementAmounts), out var value))
        {
            return false;
        }

        dispensed = value;
        return true;
    }
}
