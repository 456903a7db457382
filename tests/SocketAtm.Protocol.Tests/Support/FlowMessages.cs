using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Protocol.Tests.Support;

/// <summary>One message of every flow PROTOCOL.md describes, with realistic values, keyed by a readable name.</summary>
internal static class FlowMessages
{
    // Original data elements of the reference withdrawal: MTI 0200, STAN 000123, DE 7 0415103015,
    // acquirer 400001 right-justified to 11 digits, forwarding institution all zeros.
    public const string ReversalOriginalData = "0200" + "000123" + "0415103015" + "00000400001" + "00000000000";

    // Partial dispense: 10.00 of 20.00 handed out, same settlement amount, two fee fields.
    public const string PartialReplacementAmounts = "000000001000" + "000000001000" + "C00000000" + "C00000000";

    private static readonly Dictionary<string, Func<IsoMessage>> Builders = new()
    {
        ["0800 sign-on"] = () => NetworkManagement(800, "001"),
        ["0810 sign-on"] = () => NetworkManagementResponse("001"),
        ["0800 echo"] = () => NetworkManagement(800, "301"),
        ["0810 echo"] = () => NetworkManagementResponse("301"),
        ["0800 sign-off"] = () => NetworkManagement(800, "002"),
        ["0810 sign-off"] = () => NetworkManagementResponse("002"),
        ["0800 key exchange"] = () => NetworkManagement(800, "161"),
        ["0810 key exchange"] = KeyExchangeResponse,
        ["0100 balance inquiry"] = () => BalanceInquiry(100),
        ["0110 balance inquiry"] = () => BalanceResponse(110),
        ["0200 balance inquiry"] = () => BalanceInquiry(200),
        ["0210 balance inquiry"] = () => BalanceResponse(210),
        ["0200 withdrawal"] = ReferenceMessages.CreateWithdrawalRequest,
        ["0210 withdrawal approved"] = ReferenceMessages.CreateWithdrawalResponse,
        ["0210 withdrawal declined 51"] = DeclinedWithdrawal,
        ["0201 withdrawal repeat"] = () => WithMti(ReferenceMessages.CreateWithdrawalRequest(), 201),
        ["0400 full reversal"] = () => Reversal(400, partial: false),
        ["0400 partial reversal"] = () => Reversal(400, partial: true),
        ["0410 reversal response"] = () => ReversalResponse(410),
        ["0401 reversal repeat"] = () => Reversal(401, partial: true),
        ["0420 advice"] = () => Reversal(420, partial: false),
        ["0421 advice repeat"] = () => Reversal(421, partial: false),
        ["0430 advice response"] = () => ReversalResponse(430),
        ["0200 with secondary bitmap (DE 90, 95, 102, 128)"] = SecondaryBitmapMessage,
    };

    public static IEnumerable<string> Names => Builders.Keys;

    public static TheoryData<string> NameData => [.. Builders.Keys];

    public static IsoMessage Create(string name) => Builders[name]();

    private static IsoMessage NetworkManagement(int mti, string code)
    {
        var message = new IsoMessage { Mti = mti };
        message.Set(7, "0415103000");
        message.Set(11, "000001");
        message.Set(41, ReferenceMessages.TerminalId);
        message.Set(70, code);
        return message;
    }

    private static IsoMessage NetworkManagementResponse(string code)
    {
        var message = NetworkManagement(810, code);
        message.Set(39, "00");
        return message;
    }

    private static IsoMessage KeyExchangeResponse()
    {
        var message = NetworkManagementResponse("161");

        // Made-up cryptograms and check values: the codec carries them, it does not check them.
        message.Set(48, "TPK" + "0123456789ABCDEF0123456789ABCDEF" + "A1B2C3" + "TAK" + "FEDCBA9876543210FEDCBA9876543210" + "D4E5F6");
        return message;
    }

    private static IsoMessage BalanceInquiry(int mti)
    {
        var message = new IsoMessage { Mti = mti };
        message.Set(2, ReferenceMessages.DemoPan);
        message.Set(3, "302000");
        message.Set(7, "0415103100");
        message.Set(11, "000124");
        message.Set(14, "2812");
        message.Set(22, "021");
        message.Set(25, "02");
        message.Set(32, "400001");
        message.Set(41, ReferenceMessages.TerminalId);
        message.Set(52, ReferenceMessages.PinBlock);
        return message;
    }

    private static IsoMessage BalanceResponse(int mti)
    {
        var message = new IsoMessage { Mti = mti };
        message.Set(2, ReferenceMessages.DemoPan);
        message.Set(3, "302000");
        message.Set(7, "0415103100");
        message.Set(11, "000124");
        message.Set(32, "400001");
        message.Set(39, "00");
        message.Set(41, ReferenceMessages.TerminalId);
        message.Set(54, "2001840C000000100000" + "2002840C000000100000");
        return message;
    }

    private static IsoMessage DeclinedWithdrawal()
    {
        var message = ReferenceMessages.CreateWithdrawalResponse();
        message.Remove(38);
        message.Set(39, "51");
        return message;
    }

    private static IsoMessage Reversal(int mti, bool partial)
    {
        var message = new IsoMessage { Mti = mti };
        message.Set(2, ReferenceMessages.DemoPan);
        message.Set(3, "012000");
        message.Set(4, "000000002000");
        message.Set(7, "0415103500");
        message.Set(11, "000125");
        message.Set(32, "400001");
        message.Set(41, ReferenceMessages.TerminalId);
        message.Set(49, "840");
        message.Set(90, ReversalOriginalData);
        if (partial)
        {
            message.Set(95, PartialReplacementAmounts);
        }

        return message;
    }

    private static IsoMessage ReversalResponse(int mti)
    {
        var message = Reversal(mti - 10, partial: true);
        message.Mti = mti;
        message.Remove(2);
        message.Set(39, "00");
        return message;
    }

    private static IsoMessage SecondaryBitmapMessage()
    {
        var message = new IsoMessage { Mti = 200 };
        message.Set(2, ReferenceMessages.DemoPan);
        message.Set(3, "012000");
        message.Set(4, "000000002000");
        message.Set(11, "000126");
        message.Set(41, ReferenceMessages.TerminalId);
        message.Set(90, ReversalOriginalData);
        message.Set(95, PartialReplacementAmounts);
        message.Set(102, "CHK 0001-4761739001 / 20");
        message.Set(128, [0x4D, 0x41, 0xC3, 0x00, 0xFF, 0x10, 0x80, 0x01]);
        return message;
    }

    private static IsoMessage WithMti(IsoMessage message, int mti)
    {
        message.Mti = mti;
        return message;
    }
}
