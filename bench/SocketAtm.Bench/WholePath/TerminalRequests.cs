using System.Globalization;
using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Bench.WholePath;

/// <summary>
/// The requests the terminal side of the whole-path benchmarks sends: from ATM00009 (a demo terminal that needs no MAC),
/// for demo card 4761739001010150 (PIN 3333, the card whose limits are meant for load), one cent at a time. Each request
/// gets a key never used before (<see cref="WithNextKey"/>), so the ledger decides it afresh instead of answering 94.
/// </summary>
internal sealed class TerminalRequests
{
    public const string TerminalId = "ATM00009";

    /// <summary>Demo card 5: balance 1,000,000.00, daily limits 1,000,000.00 and 100,000 withdrawals.</summary>
    public const string LoadCardPan = "4761739001010150";

    /// <summary>Withdrawals of one cent: a benchmark cannot run long enough to empty the card.</summary>
    public const long WithdrawalAmount = 1;

    private const int StanCount = 999_999;

    private static readonly DateTime FirstTransmission = new(2026, 4, 15, 10, 30, 0, DateTimeKind.Utc);

    private readonly char[] _transmissionDateTime = new char[10];
    private long _sent;

    public TerminalRequests()
    {
        SignOn = NetworkManagement("001");
        Echo = NetworkManagement("301");
        BalanceInquiry = CardRequest("302000");
        Withdrawal = CardRequest("012000");
        Withdrawal.SetNumber(4, WithdrawalAmount);
        Withdrawal.Set(49, "840");
    }

    /// <summary>0800 sign-on (DE 70 = 001).</summary>
    public IsoMessage SignOn { get; }

    /// <summary>0800 echo test (DE 70 = 301).</summary>
    public IsoMessage Echo { get; }

    /// <summary>0200 balance inquiry of the checking account (DE 3 = 302000).</summary>
    public IsoMessage BalanceInquiry { get; }

    /// <summary>0200 cash withdrawal of one cent from the checking account (DE 3 = 012000).</summary>
    public IsoMessage Withdrawal { get; }

    /// <summary>
    /// Gives <paramref name="request"/> the next unused idempotency key: STAN 1–999,999 in turn, and a DE 7 one second
    /// later each time the STAN wraps. Allocation-free, so the benchmarks measure the host, not the terminal.
    /// </summary>
    public IsoMessage WithNextKey(IsoMessage request)
    {
        var sent = _sent++;
        var stan = (sent % StanCount) + 1;
        if (stan == 1)
        {
            FirstTransmission.AddSeconds(sent / StanCount)
                .TryFormat(_transmissionDateTime, out _, "MMddHHmmss", CultureInfo.InvariantCulture);
        }

        request.SetNumber(11, stan);
        request.Set(7, _transmissionDateTime);
        return request;
    }

    private IsoMessage NetworkManagement(string code)
    {
        var message = new IsoMessage { Mti = 800 };
        WithNextKey(message);
        message.Set(41, TerminalId);
        message.Set(70, code);
        return message;
    }

    private IsoMessage CardRequest(string processingCode)
    {
        var message = new IsoMessage { Mti = 200 };
        message.Set(2, LoadCardPan);
        message.Set(3, processingCode);
        WithNextKey(message);
        message.Set(12, "103000");
        message.Set(13, "0415");
        message.Set(14, "2812");
        message.Set(22, "021");
        message.Set(32, "400001");
        message.Set(41, TerminalId);
        Span<byte> pinBlock = stackalloc byte[PinBlock.Length];
        PinBlock.Encrypt(DemoData.TerminalPinKey, "3333"u8, Encoding.ASCII.GetBytes(LoadCardPan), pinBlock);
        message.Set(52, pinBlock);
        return message;
    }
}
