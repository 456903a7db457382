using System.Text;
using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Handlers;

/// <summary>Reads the request values handlers share: terminal id, idempotency key, account type, DE 35, DE 90 and DE 95.</summary>
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

    /// <summary>
    /// Reads DE 35 into what the ledger compares with the card on file: whether its PAN is DE 2's (when DE 2 is sent),
    /// whether its CVV verifies under <paramref name="cvk"/> (<see cref="TrackVerification"/>), its expiry and service
    /// code; false when DE 35 is not a track 2 (answered 30). Allocation-free: the track is read in slices.
    /// </summary>
    public static bool TryReadTrack2(IsoMessage request, ReadOnlySpan<byte> cvk, out Track2Evidence evidence)
    {
        evidence = default;
        if (!Track2.TryParse(request.Get(DataElements.Track2), out var track)
            || !Track2Evidence.TryReadNumber(track.Expiry, out var expiry)
            || !Track2Evidence.TryReadNumber(track.ServiceCode, out var serviceCode))
        {
            return false;
        }

        var panMatches = !request.Has(DataElements.PrimaryAccountNumber) || request.Get(DataElements.PrimaryAccountNumber).SequenceEqual(track.Pan);
        evidence = new Track2Evidence(panMatches, TrackVerification.CvvVerifies(cvk, track), expiry, serviceCode);
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
