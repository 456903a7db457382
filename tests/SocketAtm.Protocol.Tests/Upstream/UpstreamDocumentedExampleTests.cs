using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Protocol.Tests.Documentation;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Protocol.Tests.Upstream;

/// <summary>
/// PROTOCOL.md §15's examples are what an issuer's team codes against, so each is read back from the document's text
/// alone — its hex dump and its table — and held to the codec and to §15's rules: the bytes parse and serialise back
/// to themselves, every row says what the bytes say, answers echo and match their requests, and the PIN block is PIN
/// 1234 under the demo ZPK the document publishes. (ProtocolDocumentTests separately holds the document to the code
/// that generated it.)
/// </summary>
public sealed partial class UpstreamDocumentedExampleTests
{
    private const string SignOnRequest = "upstream-sign-on-request";
    private const string SignOnResponse = "upstream-sign-on-response";
    private const string WithdrawalRequest = "upstream-withdrawal-request";
    private const string WithdrawalResponse = "upstream-withdrawal-response";
    private const string ReversalAdvice = "upstream-reversal-advice";
    private const string ReversalAdviceResponse = "upstream-reversal-advice-response";

    private static readonly string[] Names = [SignOnRequest, SignOnResponse, WithdrawalRequest, WithdrawalResponse, ReversalAdvice, ReversalAdviceResponse];

    public static TheoryData<string> ExampleNames => new(Names);

    [Fact]
    public void Part_15_shows_each_upstream_example_once_under_a_15_x_heading()
    {
        var examples = DocumentedUpstreamExample.ReadAll(ProtocolDocument.Read());

        Assert.Equal(Names, examples.Select(e => e.Name));
        Assert.All(examples, e => Assert.Matches(@"^15\.\d+ ", e.Heading));
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void Hex_dump_is_one_frame_that_parses_and_serialises_back_to_the_same_bytes(string name)
    {
        var example = Documented(name);

        Assert.Equal(example.Frame.Length - 2, (example.Frame[0] << 8) | example.Frame[1]);
        var message = Parse(example);
        Assert.Equal(example.Frame[2..], IsoMessageWriter.ToArray(message));
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void Every_row_of_the_table_states_the_offset_size_element_and_value_the_bytes_hold(string name)
    {
        var example = Documented(name);
        var message = Parse(example);
        var frame = example.Frame;
        var expected = new List<(int, int, string, string)>
        {
            (0, 2, "Length header", Convert.ToHexString(frame, 0, 2)),
            (2, 4, "MTI", MessageTypes.Format(message.Mti)),
            (6, 8, "Primary bitmap", Convert.ToHexString(frame, 6, 8)),
        };
        var offset = 14;
        if (message.HasSecondaryBitmap)
        {
            expected.Add((offset, 8, "Secondary bitmap", Convert.ToHexString(frame, offset, 8)));
            offset += 8;
        }

        foreach (var field in message.Fields)
        {
            ref readonly var definition = ref FieldTable.Get(field);
            var value = message.Get(field);
            var shown = definition.Type == FieldType.Binary ? Convert.ToHexString(value) : Encoding.ASCII.GetString(value);
            if (definition.PrefixDigits > 0)
            {
                shown = value.Length.ToString(new string('0', definition.PrefixDigits), CultureInfo.InvariantCulture) + " " + shown;
            }

            expected.Add((offset, definition.PrefixDigits + value.Length, $"DE {field} {definition.Name}", shown));
            offset += definition.PrefixDigits + value.Length;
        }

        Assert.Equal(frame.Length, offset);
        Assert.Equal(expected, example.Rows.Select(r => (r.Offset, r.Bytes, r.Element, r.Value)));
        Assert.StartsWith(BitsList(message, 2, 64), example.Row("Primary bitmap").Meaning, StringComparison.Ordinal);
        if (message.HasSecondaryBitmap)
        {
            Assert.StartsWith(BitsList(message, 65, 128), example.Row("Secondary bitmap").Meaning, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Sign_on_carries_the_acquirer_id_and_its_answer_echoes_it_with_00()
    {
        var request = Parse(Documented(SignOnRequest));
        var response = Parse(Documented(SignOnResponse));

        Assert.Equal(MessageTypes.NetworkManagementRequest, request.Mti);
        Assert.Equal([DataElements.TransmissionDateTime, DataElements.Stan, DataElements.AcquirerId, DataElements.NetworkManagementCode], FieldsOf(request));
        Assert.Equal(NetworkManagementCodes.SignOn, int.Parse(request.GetString(DataElements.NetworkManagementCode)!, CultureInfo.InvariantCulture));
        Assert.Equal(DocumentedAcquirerId(), request.GetString(DataElements.AcquirerId));
        Assert.Equal(MessageTypes.ResponseOf(request.Mti), response.Mti);
        Assert.Equal(ResponseCodes.Approved, response.GetString(DataElements.ResponseCode));
        Assert.All(FieldsOf(request), field => Assert.Equal(request.GetString(field), response.GetString(field)));
        Assert.Equal(FieldsOf(request).Append(DataElements.ResponseCode).Order(), FieldsOf(response));
    }

    [Fact]
    public void Forwarded_withdrawal_carries_the_contract_elements_for_the_demo_card_under_the_route_acquirer_id()
    {
        var request = Parse(Documented(WithdrawalRequest));
        int[] contract =
        [
            DataElements.PrimaryAccountNumber, DataElements.ProcessingCode, DataElements.Amount, DataElements.TransmissionDateTime,
            DataElements.Stan, DataElements.LocalTime, DataElements.LocalDate, DataElements.ExpirationDate, DataElements.PosEntryMode,
            DataElements.AcquirerId, DataElements.RetrievalReference, DataElements.TerminalId, DataElements.Currency, DataElements.PinBlock,
        ];

        Assert.Equal(MessageTypes.FinancialRequest, request.Mti);
        Assert.Equal(contract, FieldsOf(request));
        Assert.Equal(DocumentedAcquirerId(), request.GetString(DataElements.AcquirerId));
        var pan = request.GetString(DataElements.PrimaryAccountNumber)!;
        Assert.StartsWith(DocumentedDemoBin(), pan, StringComparison.Ordinal);
        Assert.True(IsLuhnValid(pan), pan + " fails its Luhn check");
        Assert.Contains($"demo card `{pan}` (PIN {UpstreamExamples.DemoPin})", DocumentedUpstreamExample.PartFifteen(ProtocolDocument.Read()), StringComparison.Ordinal);
        Assert.Equal(12, request.GetString(DataElements.RetrievalReference)!.Length);
        Assert.NotEqual("000000", request.GetString(DataElements.Stan));
    }

    [Fact]
    public void Forwarded_pin_block_is_pin_1234_for_its_pan_under_the_published_demo_zpk_and_not_under_the_terminal_tpk()
    {
        var example = Documented(WithdrawalRequest);
        var request = Parse(example);
        var pan = request.Get(DataElements.PrimaryAccountNumber).ToArray();
        var zonePinKey = DocumentedDemoZonePinKey();

        Assert.Equal(UpstreamExamples.DemoPin, Decrypt(zonePinKey, request.Get(DataElements.PinBlock).ToArray(), pan));
        Assert.NotEqual(UpstreamExamples.DemoPin, Decrypt(DemoKeys.PinKey, request.Get(DataElements.PinBlock).ToArray(), pan));
        Assert.Contains($"PIN {UpstreamExamples.DemoPin} for this PAN", example.FieldRows[DataElements.PinBlock].Meaning, StringComparison.Ordinal);
    }

    [Fact]
    public void Pin_translation_table_goes_from_the_terminal_block_under_the_tpk_to_the_forwarded_block_under_the_zpk()
    {
        var request = Parse(Documented(WithdrawalRequest));
        var pan = request.Get(DataElements.PrimaryAccountNumber).ToArray();
        var steps = HexValue().Matches(ProtocolDocument.Section(ProtocolDocument.Read(), "upstream-pin-translation") ?? string.Empty)
            .Select(m => Convert.FromHexString(m.Groups["hex"].Value)).ToList();

        Assert.Equal(3, steps.Count);
        Assert.Equal(UpstreamExamples.DemoPin, Decrypt(DemoKeys.PinKey, steps[0], pan));
        var clear = new byte[PinBlock.Length];
        KeyedCiphers.TripleDesEcb(DemoKeys.PinKey, encrypt: false, steps[0], clear);
        Assert.Equal(clear, steps[1]);
        Assert.Equal(request.Get(DataElements.PinBlock).ToArray(), steps[2]);
    }

    [Fact]
    public void Approval_matches_its_request_echoes_it_unchanged_and_carries_an_authorization_id()
    {
        var request = Parse(Documented(WithdrawalRequest));
        var example = Documented(WithdrawalResponse);
        var response = Parse(example);

        Assert.Equal(MessageTypes.ResponseOf(request.Mti), response.Mti);
        Assert.Equal(MatchingKey(request), MatchingKey(response));
        foreach (var echoed in new[] { DataElements.PrimaryAccountNumber, DataElements.ProcessingCode, DataElements.Amount, DataElements.RetrievalReference })
        {
            Assert.Equal(request.GetString(echoed), response.GetString(echoed));
        }

        Assert.Equal(ResponseCodes.Approved, response.GetString(DataElements.ResponseCode));
        Assert.StartsWith("00 = approved", example.FieldRows[DataElements.ResponseCode].Meaning, StringComparison.Ordinal);
        Assert.Equal(6, response.GetString(DataElements.AuthorizationId)!.Length);
        Assert.False(response.Has(DataElements.PinBlock));
        var balances = response.Get(DataElements.AdditionalAmounts);
        Assert.Equal(2, AdditionalAmounts.BlockCount(balances));
        Assert.True(AdditionalAmounts.TryReadBlock(balances, 0, out var ledger));
        Assert.True(AdditionalAmounts.TryReadBlock(balances, 1, out var available));
        Assert.Equal((AdditionalAmounts.LedgerBalance, AdditionalAmounts.AvailableBalance), (ledger.AmountType, available.AmountType));
        Assert.Contains(FormatAmount(available.Amount) + " each", example.FieldRows[DataElements.AdditionalAmounts].Meaning, StringComparison.Ordinal);
    }

    [Fact]
    public void Give_up_advice_gives_reason_68_and_names_the_unanswered_original_by_de_90_and_its_rrn()
    {
        var approved = Parse(Documented(WithdrawalRequest));
        var example = Documented(ReversalAdvice);
        var advice = Parse(example);

        Assert.Equal(MessageTypes.ReversalAdvice, advice.Mti);
        Assert.Equal(ResponseCodes.ResponseReceivedTooLate, advice.GetString(DataElements.ResponseCode));
        Assert.StartsWith("the reason: 68 =", example.FieldRows[DataElements.ResponseCode].Meaning, StringComparison.Ordinal);
        Assert.False(advice.Has(DataElements.PinBlock));
        Assert.False(advice.Has(DataElements.ReplacementAmounts));
        Assert.True(OriginalDataElements.TryParse(advice.Get(DataElements.OriginalDataElements), out var original));
        Assert.Equal(advice.GetString(DataElements.OriginalDataElements), original.Format());
        Assert.Equal(MessageTypes.FinancialRequest, original.Mti);
        Assert.Equal(advice.GetString(DataElements.AcquirerId)!.PadLeft(OriginalDataElements.AcquirerIdLength, '0'), original.AcquirerId);
        Assert.NotEqual(original.Stan.ToString("D6", CultureInfo.InvariantCulture), advice.GetString(DataElements.Stan));
        Assert.StartsWith(
            $"original MTI {MessageTypes.Format(original.Mti)}, STAN {original.Stan:D6}, DE 7 {original.TransmissionDateTime}, acquirer {original.AcquirerId}, forwarding institution 00000000000",
            example.FieldRows[DataElements.OriginalDataElements].Meaning,
            StringComparison.Ordinal);

        // The original is the story's second withdrawal: same card and terminal as 15.14, its own STAN and RRN.
        Assert.Contains(
            $"as an 0200 with STAN {original.Stan:D6} and RRN {advice.GetString(DataElements.RetrievalReference)}",
            DocumentedUpstreamExample.PartFifteen(ProtocolDocument.Read()),
            StringComparison.Ordinal);
        Assert.NotEqual(approved.GetString(DataElements.RetrievalReference), advice.GetString(DataElements.RetrievalReference));
        foreach (var same in new[] { DataElements.PrimaryAccountNumber, DataElements.ProcessingCode, DataElements.AcquirerId, DataElements.TerminalId, DataElements.Currency })
        {
            Assert.Equal(approved.GetString(same), advice.GetString(same));
        }
    }

    [Fact]
    public void Advice_answer_matches_the_advice_and_accepts_it()
    {
        var advice = Parse(Documented(ReversalAdvice));
        var answer = Parse(Documented(ReversalAdviceResponse));

        Assert.Equal(MessageTypes.ResponseOf(advice.Mti), answer.Mti);
        Assert.Equal(MessageTypes.ResponseOf(MessageTypes.ReversalAdviceRepeat), answer.Mti);
        Assert.Equal(MatchingKey(advice), MatchingKey(answer));
        Assert.Equal(advice.GetString(DataElements.RetrievalReference), answer.GetString(DataElements.RetrievalReference));
        Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode));
    }

    [Fact]
    public void Published_demo_zpk_has_the_kcv_the_document_states()
    {
        var row = DemoKeyRow();

        Assert.Equal(KeyCheckValue.ToHex(Convert.FromHexString(row.Groups["key"].Value)), row.Groups["kcv"].Value);
    }

    private static DocumentedUpstreamExample Documented(string name) =>
        DocumentedUpstreamExample.ReadAll(ProtocolDocument.Read()).Single(e => e.Name == name);

    private static IsoMessage Parse(DocumentedUpstreamExample example)
    {
        var message = new IsoMessage();
        Assert.True(IsoMessageParser.TryParse(example.Frame.AsSpan(2), message, out var error), $"{example.Name}: {error}");
        return message;
    }

    private static List<int> FieldsOf(IsoMessage message)
    {
        var fields = new List<int>();
        foreach (var field in message.Fields)
        {
            fields.Add(field);
        }

        return fields;
    }

    /// <summary>§15.5's matching key: (MTI class, DE 11, DE 7, DE 41, DE 32), the answer's MTI class taken as its request's.</summary>
    private static (int, string?, string?, string?, string?) MatchingKey(IsoMessage message)
    {
        var requestClass = MessageTypes.IsResponse(message.Mti) ? message.Mti - 10 : MessageTypes.ClassOf(message.Mti);
        return (requestClass, message.GetString(DataElements.Stan), message.GetString(DataElements.TransmissionDateTime),
            message.GetString(DataElements.TerminalId), message.GetString(DataElements.AcquirerId));
    }

    private static string? Decrypt(byte[] key, byte[] block, byte[] pan)
    {
        var pin = new byte[PinBlock.MaxPinLength];
        return PinBlock.TryDecrypt(key, block, pan, pin, out var length) ? Encoding.ASCII.GetString(pin, 0, length) : null;
    }

    private static string DocumentedAcquirerId() =>
        AcquirerIdSentence().Match(DocumentedUpstreamExample.PartFifteen(ProtocolDocument.Read())) is { Success: true } match
            ? match.Groups["id"].Value
            : throw new InvalidOperationException("§15 does not state the examples' AcquirerId.");

    private static string DocumentedDemoBin() =>
        DemoBinSentence().Match(DocumentedUpstreamExample.PartFifteen(ProtocolDocument.Read())) is { Success: true } match
            ? match.Groups["bin"].Value
            : throw new InvalidOperationException("§15 does not state the demo route's BIN.");

    private static byte[] DocumentedDemoZonePinKey() => Convert.FromHexString(DemoKeyRow().Groups["key"].Value);

    private static Match DemoKeyRow()
    {
        var row = KeyRow().Match(ProtocolDocument.Section(ProtocolDocument.Read(), "upstream-demo-keys") ?? string.Empty);
        Assert.True(row.Success, "§15 does not publish the demo ZPK with its KCV.");
        return row;
    }

    private static string BitsList(IsoMessage message, int first, int last)
    {
        var bits = new List<int>();
        if (first == 2 && message.HasSecondaryBitmap)
        {
            bits.Add(1);
        }

        bits.AddRange(Enumerable.Range(first, last - first + 1).Where(message.Has));
        return (bits.Count == 1 ? "bit " : "bits ") + string.Join(", ", bits);
    }

    private static string FormatAmount(long minorUnits) =>
        (minorUnits / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);

    private static bool IsLuhnValid(string pan)
    {
        var sum = 0;
        for (var i = 0; i < pan.Length; i++)
        {
            var digit = pan[pan.Length - 1 - i] - '0';
            sum += i % 2 == 0 ? digit : (digit * 2) - (digit >= 5 ? 9 : 0);
        }

        return sum % 10 == 0;
    }

    [GeneratedRegex(@"\| `(?<hex>[0-9A-F]{16})` \|")]
    private static partial Regex HexValue();

    [GeneratedRegex(@"\| `(?<key>[0-9A-F]{32})` \| `(?<kcv>[0-9A-F]{6})` \|")]
    private static partial Regex KeyRow();

    [GeneratedRegex(@"The route's AcquirerId is `(?<id>[0-9]{1,11})`")]
    private static partial Regex AcquirerIdSentence();

    [GeneratedRegex(@"demo route `demo-issuer` sends BIN `(?<bin>[0-9]{1,11})`")]
    private static partial Regex DemoBinSentence();
}
