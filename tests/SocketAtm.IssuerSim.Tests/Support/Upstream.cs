using System.Globalization;
using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim.Tests.Support;

/// <summary>Upstream messages as an acquirer sends them (issue 15's contract), built from the codec.</summary>
internal static class Upstream
{
    public const string AcquirerId = "12345";
    public const string TerminalId = "ATM00009";

    /// <summary>The DE 38 an acquirer gives in stand-in (its own authorization id).</summary>
    public const string StandInAuthorizationId = "S00042";

    private static int s_stan;
    private static long s_rrn = DateTime.UtcNow.Ticks % 1_000_000_000;

    public static int NextStan() => (Interlocked.Increment(ref s_stan) % 999_999) + 1;

    public static string NextRrn() => Interlocked.Increment(ref s_rrn).ToString("D12", CultureInfo.InvariantCulture);

    public static string Now() => DateTime.UtcNow.ToString("MMddHHmmss", CultureInfo.InvariantCulture);

    public static IsoMessage SignOn() => NetworkManagement(NetworkManagementCodes.SignOn);

    public static IsoMessage NetworkManagement(int code)
    {
        var message = new IsoMessage { Mti = MessageTypes.NetworkManagementRequest };
        message.Set(DataElements.TransmissionDateTime, Now());
        message.SetNumber(DataElements.Stan, NextStan());
        message.Set(DataElements.AcquirerId, AcquirerId);
        message.SetNumber(DataElements.NetworkManagementCode, code);
        return message;
    }

    public static IsoMessage Withdrawal(string pan, long amount, string pin = IssuerDemoData.Pin, string? rrn = null) =>
        Financial(MessageTypes.FinancialRequest, ProcessingCodes.Format(TransactionTypes.CashWithdrawal, 0), pan, amount, pin, rrn);

    public static IsoMessage Balance(string pan, string pin = IssuerDemoData.Pin, int mti = MessageTypes.AuthorizationRequest) =>
        Financial(mti, ProcessingCodes.Format(TransactionTypes.BalanceInquiry, 0), pan, 0, pin, null);

    /// <summary>The 0420 (or 0421) reversing <paramref name="original"/>; <paramref name="dispensed"/> makes it partial (DE 95).</summary>
    public static IsoMessage Reversal(IsoMessage original, long? dispensed = null, bool repeat = false, string? stan = null)
    {
        var message = new IsoMessage { Mti = repeat ? MessageTypes.ReversalAdviceRepeat : MessageTypes.ReversalAdvice };
        foreach (var field in new[] { DataElements.PrimaryAccountNumber, DataElements.ProcessingCode, DataElements.Amount, DataElements.AcquirerId, DataElements.RetrievalReference, DataElements.TerminalId, DataElements.Currency })
        {
            message.CopyFrom(original, field);
        }

        message.Set(DataElements.TransmissionDateTime, Now());
        message.Set(DataElements.Stan, stan ?? NextStan().ToString("D6", CultureInfo.InvariantCulture));
        message.Set(DataElements.ResponseCode, ResponseCodes.ResponseReceivedTooLate);
        original.TryGetNumber(DataElements.Stan, out var originalStan);
        message.Set(DataElements.OriginalDataElements, new OriginalDataElements(original.Mti, (int)originalStan, original.GetString(DataElements.TransmissionDateTime)!, AcquirerId).Format());
        if (dispensed is { } actual)
        {
            message.Set(DataElements.ReplacementAmounts, ReplacementAmounts.Format(actual));
        }

        return message;
    }

    /// <summary>
    /// The stand-in advice (0220, or 0221) for <paramref name="original"/>, the 0200 the acquirer approved itself instead of
    /// sending: its card, amount and RRN, a new DE 7 and DE 11, the stand-in DE 38 and DE 39 = 00, DE 90 naming it; no PIN.
    /// </summary>
    public static IsoMessage Advice(IsoMessage original, bool repeat = false)
    {
        var message = new IsoMessage { Mti = repeat ? MessageTypes.FinancialAdviceRepeat : MessageTypes.FinancialAdvice };
        foreach (var field in new[] { DataElements.PrimaryAccountNumber, DataElements.ProcessingCode, DataElements.Amount, DataElements.AcquirerId, DataElements.RetrievalReference, DataElements.TerminalId, DataElements.Currency })
        {
            message.CopyFrom(original, field);
        }

        message.Set(DataElements.TransmissionDateTime, Now());
        message.SetNumber(DataElements.Stan, NextStan());
        message.Set(DataElements.AuthorizationId, StandInAuthorizationId);
        message.Set(DataElements.ResponseCode, ResponseCodes.Approved);
        original.TryGetNumber(DataElements.Stan, out var originalStan);
        message.Set(DataElements.OriginalDataElements, new OriginalDataElements(original.Mti, (int)originalStan, original.GetString(DataElements.TransmissionDateTime)!, AcquirerId).Format());
        return message;
    }

    private static IsoMessage Financial(int mti, string processingCode, string pan, long amount, string pin, string? rrn)
    {
        var message = new IsoMessage { Mti = mti };
        message.Set(DataElements.PrimaryAccountNumber, pan);
        message.Set(DataElements.ProcessingCode, processingCode);
        message.SetNumber(DataElements.Amount, amount);
        message.Set(DataElements.TransmissionDateTime, Now());
        message.SetNumber(DataElements.Stan, NextStan());
        message.Set(DataElements.LocalTime, DateTime.Now.ToString("HHmmss", CultureInfo.InvariantCulture));
        message.Set(DataElements.LocalDate, DateTime.Now.ToString("MMdd", CultureInfo.InvariantCulture));
        message.Set(DataElements.PosEntryMode, "012");
        message.Set(DataElements.AcquirerId, AcquirerId);
        message.Set(DataElements.RetrievalReference, rrn ?? NextRrn());
        message.Set(DataElements.TerminalId, TerminalId);
        message.SetNumber(DataElements.Currency, IssuerDemoData.Currency);
        Span<byte> block = stackalloc byte[PinBlock.Length];
        PinBlock.Encrypt(IssuerDemoData.ZonePinKey(), System.Text.Encoding.ASCII.GetBytes(pin), System.Text.Encoding.ASCII.GetBytes(pan), block);
        message.Set(DataElements.PinBlock, block);
        return message;
    }
}
