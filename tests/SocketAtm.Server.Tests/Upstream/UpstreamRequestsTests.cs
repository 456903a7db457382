using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Tests.Upstream;

/// <summary>The exact fields of the messages the acquirer sends upstream, per the contract.</summary>
public class UpstreamRequestsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 15, 9, 26, TimeSpan.Zero);
    private static readonly byte[] TranslatedPin = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];
    private static readonly UpstreamStamp Stamp = new(42, Now, "607315000042", "123456", TranslatedPin);

    private static IsoMessage Terminal(int mti = MessageTypes.FinancialRequest, bool track2 = true, bool pan = true)
    {
        var request = new IsoMessage { Mti = mti };
        if (pan)
        {
            request.Set(DataElements.PrimaryAccountNumber, "5413330000000011");
        }

        request.Set(DataElements.ProcessingCode, "011000");
        request.SetNumber(DataElements.Amount, 20_000);
        request.Set(DataElements.TransmissionDateTime, "0314150000");
        request.SetNumber(DataElements.Stan, 7);
        if (track2)
        {
            request.Set(DataElements.Track2, "5413330000000011=28121011234567890");
        }

        request.Set(DataElements.TerminalId, "ATM00001");
        request.Set(DataElements.CardAcceptorId, "SOCKETATM000001");
        request.Set(DataElements.Currency, "840");
        request.Set(DataElements.PinBlock, new byte[8]);
        request.Set(DataElements.Mac, new byte[8]);
        return request;
    }

    [Fact]
    public void A_forwarded_withdrawal_carries_the_contracts_fields_and_the_acquirers_own_stamp()
    {
        var upstream = UpstreamRequests.Financial(Terminal(), Stamp);

        Assert.Equal(MessageTypes.FinancialRequest, upstream.Mti);
        Assert.Equal("5413330000000011", upstream.GetString(DataElements.PrimaryAccountNumber));
        Assert.Equal("011000", upstream.GetString(DataElements.ProcessingCode));
        Assert.Equal("000000020000", upstream.GetString(DataElements.Amount));
        Assert.Equal("0314150926", upstream.GetString(DataElements.TransmissionDateTime));
        Assert.Equal("000042", upstream.GetString(DataElements.Stan));
        Assert.Equal(UpstreamTime.LocalTime(Now.ToLocalTime()), upstream.GetString(DataElements.LocalTime));
        Assert.Equal(UpstreamTime.LocalDate(Now.ToLocalTime()), upstream.GetString(DataElements.LocalDate));
        Assert.Equal("2812", upstream.GetString(DataElements.ExpirationDate));
        Assert.Equal(UpstreamRequests.EntryModeTrack2, upstream.GetString(DataElements.PosEntryMode));
        Assert.Equal("123456", upstream.GetString(DataElements.AcquirerId));
        Assert.Equal("5413330000000011=28121011234567890", upstream.GetString(DataElements.Track2));
        Assert.Equal("607315000042", upstream.GetString(DataElements.RetrievalReference));
        Assert.Equal("ATM00001", upstream.GetString(DataElements.TerminalId));
        Assert.Equal("SOCKETATM000001", upstream.GetString(DataElements.CardAcceptorId));
        Assert.Equal("840", upstream.GetString(DataElements.Currency));
        Assert.Equal(TranslatedPin, upstream.Get(DataElements.PinBlock).ToArray());
        Assert.False(upstream.Has(DataElements.Mac)); // The terminal's MAC is its own; the route MACs when it sends.
        Assert.Equal(
            [2, 3, 4, 7, 11, 12, 13, 14, 22, 32, 35, 37, 41, 42, 49, 52],
            Fields(upstream));
    }

    [Fact]
    public void The_terminals_own_local_time_and_entry_mode_are_kept_and_a_repeat_is_forwarded_as_its_class()
    {
        var terminal = Terminal(MessageTypes.FinancialRequestRepeat, track2: false);
        terminal.Set(DataElements.LocalTime, "101112");
        terminal.Set(DataElements.LocalDate, "0313");
        terminal.Set(DataElements.ExpirationDate, "2901");
        terminal.Set(DataElements.PosEntryMode, "051");

        var upstream = UpstreamRequests.Financial(terminal, Stamp);

        Assert.Equal(MessageTypes.FinancialRequest, upstream.Mti);
        Assert.Equal("101112", upstream.GetString(DataElements.LocalTime));
        Assert.Equal("0313", upstream.GetString(DataElements.LocalDate));
        Assert.Equal("2901", upstream.GetString(DataElements.ExpirationDate));
        Assert.Equal("051", upstream.GetString(DataElements.PosEntryMode));
        Assert.False(upstream.Has(DataElements.Track2));
    }

    [Fact]
    public void Without_de2_the_pan_comes_from_track_2_and_without_either_expiry_de14_is_omitted()
    {
        var fromTrack = UpstreamRequests.Financial(Terminal(pan: false), Stamp);
        var keyed = UpstreamRequests.Financial(Terminal(MessageTypes.AuthorizationRequest, track2: false), Stamp with { PinBlock = default });

        Assert.Equal("5413330000000011", fromTrack.GetString(DataElements.PrimaryAccountNumber));
        Assert.Equal(MessageTypes.AuthorizationRequest, keyed.Mti);
        Assert.False(keyed.Has(DataElements.ExpirationDate));
        Assert.Equal(UpstreamRequests.EntryModeKeyed, keyed.GetString(DataElements.PosEntryMode));
        Assert.False(keyed.Has(DataElements.PinBlock));
        Assert.Throws<ArgumentException>(() => UpstreamRequests.Financial(Terminal(pan: false, track2: false), Stamp));
        Assert.Throws<ArgumentException>(() => UpstreamRequests.Financial(Terminal(MessageTypes.ReversalRequest), Stamp));
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, 5_000L)]
    public void A_reversal_advice_names_its_original_in_de90_and_a_partial_dispense_in_de95(bool repeat, long? dispensed)
    {
        var original = UpstreamRequests.Financial(Terminal(), Stamp);
        var later = Now.AddSeconds(9);

        var advice = UpstreamRequests.ReversalAdvice(new UpstreamReversal(original, ResponseCodes.ResponseReceivedTooLate, 43, later, dispensed, repeat));

        Assert.Equal(repeat ? MessageTypes.ReversalAdviceRepeat : MessageTypes.ReversalAdvice, advice.Mti);
        Assert.Equal("5413330000000011", advice.GetString(DataElements.PrimaryAccountNumber));
        Assert.Equal("011000", advice.GetString(DataElements.ProcessingCode));
        Assert.Equal("000000020000", advice.GetString(DataElements.Amount));
        Assert.Equal("0314150935", advice.GetString(DataElements.TransmissionDateTime));
        Assert.Equal("000043", advice.GetString(DataElements.Stan));
        Assert.Equal("123456", advice.GetString(DataElements.AcquirerId));
        Assert.Equal("607315000042", advice.GetString(DataElements.RetrievalReference));
        Assert.Equal(ResponseCodes.ResponseReceivedTooLate, advice.GetString(DataElements.ResponseCode));
        Assert.Equal("ATM00001", advice.GetString(DataElements.TerminalId));
        Assert.Equal("840", advice.GetString(DataElements.Currency));
        Assert.Equal("0200" + "000042" + "0314150926" + "00000123456" + "00000000000", advice.GetString(DataElements.OriginalDataElements));
        Assert.True(OriginalDataElements.TryParse(advice.Get(DataElements.OriginalDataElements), out var named));
        Assert.Equal(42, named.Stan);
        Assert.Equal(dispensed is not null, advice.Has(DataElements.ReplacementAmounts));
        if (dispensed is { } amount)
        {
            Assert.True(ReplacementAmounts.TryReadActualAmount(advice.Get(DataElements.ReplacementAmounts), out var actual));
            Assert.Equal(amount, actual);
        }

        Assert.Equal(dispensed is null ? [2, 3, 4, 7, 11, 32, 37, 39, 41, 49, 90] : [2, 3, 4, 7, 11, 32, 37, 39, 41, 49, 90, 95], Fields(advice));
    }

    [Fact]
    public void The_network_management_requests_carry_de7_de11_de32_and_de70()
    {
        var signOn = NetworkManagementRequests.Build(NetworkManagementCodes.SignOn, 5, Now, "123456");

        Assert.Equal(MessageTypes.NetworkManagementRequest, signOn.Mti);
        Assert.Equal([7, 11, 32, 70], Fields(signOn));
        Assert.Equal("001", signOn.GetString(DataElements.NetworkManagementCode));
        Assert.Equal("0314150926", signOn.GetString(DataElements.TransmissionDateTime));
    }

    private static int[] Fields(IsoMessage message)
    {
        var fields = new List<int>();
        foreach (var field in message.Fields)
        {
            fields.Add(field);
        }

        return [.. fields];
    }
}
