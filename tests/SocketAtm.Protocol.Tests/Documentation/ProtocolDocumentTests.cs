using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Protocol.Tests.Documentation;

/// <summary>
/// PROTOCOL.md must show what the code does: its field table, demo key check values, PIN block example and every
/// annotated hex dump are regenerated here and compared. Run with SOCKETATM_UPDATE_PROTOCOL_DOC=1 to rewrite the
/// generated sections instead of failing.
/// </summary>
public class ProtocolDocumentTests
{
    public static TheoryData<string> SectionNames => new(DocumentSections.All.Keys);

    [Theory]
    [MemberData(nameof(SectionNames))]
    public void Generated_section_matches_the_code(string name)
    {
        var expected = DocumentSections.All[name]();
        var document = ProtocolDocument.Read();
        var actual = ProtocolDocument.Section(document, name);

        if (actual != expected && ProtocolDocument.UpdateRequested)
        {
            File.WriteAllText(ProtocolDocument.Path, ProtocolDocument.WithSection(document, name, expected));
            return;
        }

        Assert.True(actual is not null, $"PROTOCOL.md lacks the markers of section '{name}'.");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Document_has_no_generated_section_the_code_does_not_know()
    {
        var names = ProtocolDocument.SectionNames(ProtocolDocument.Read());

        Assert.Empty(names.Except(DocumentSections.All.Keys));
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void Field_table_in_the_document_lists_exactly_the_codec_fields()
    {
        var table = ProtocolDocument.Section(ProtocolDocument.Read(), "field-table") ?? string.Empty;
        var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2)
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Select(cells => (Number: int.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture), Name: cells[2], Notation: cells[3]))
            .ToList();

        Assert.Equal(FieldTable.All.Select(d => (d.Number, d.Name, d.Notation)), rows);
    }

    [Fact]
    public void Every_example_parses_back_to_the_message_it_was_built_from()
    {
        foreach (var example in ProtocolExamples.All)
        {
            var frame = example.Frame();
            var parsed = new IsoMessage();

            Assert.True(IsoMessageParser.TryParse(frame.AsSpan(2), parsed, out var error), $"{example.Name}: {error}");
            Assert.Equal(example.Message.Mti, parsed.Mti);
            Assert.Equal(IsoMessageWriter.ToArray(example.Message), IsoMessageWriter.ToArray(parsed));
        }
    }

    [Fact]
    public void Mac_examples_verify_under_the_demo_tak_and_others_carry_no_mac()
    {
        foreach (var example in ProtocolExamples.All)
        {
            var parsed = new IsoMessage();
            Assert.True(IsoMessageParser.TryParse(example.Frame().AsSpan(2), parsed, out _));
            // ATM00001 requires MACs: on everything it sends and everything it is answered, 0800 and 0810 included.
            var fromMacTerminal = parsed.GetString(41) == "ATM00001";

            Assert.Equal(fromMacTerminal, RetailMac.Verify(DemoKeys.MacKey, parsed));
            Assert.Equal(fromMacTerminal, parsed.Has(64) || parsed.Has(128));
        }
    }

    [Fact]
    public void Example_pin_block_decrypts_to_the_demo_pin()
    {
        var pin = new byte[PinBlock.MaxPinLength];

        Assert.True(PinBlock.TryDecrypt(DemoKeys.PinKey, ProtocolExamples.EncryptedDemoPinBlock(), Encoding.ASCII.GetBytes(ProtocolExamples.DemoPan), pin, out var length));
        Assert.Equal(ProtocolExamples.DemoPin, Encoding.ASCII.GetString(pin, 0, length));
    }

    [Fact]
    public void Key_exchange_example_carries_the_demo_keys_under_the_demo_tmk()
    {
        var example = ProtocolExamples.All.Single(e => e.Name == "key-exchange-response");
        var pinKey = new byte[16];
        var macKey = new byte[16];

        Assert.True(KeyExchangeData.TryRead(DemoKeys.MasterKey, example.Message.Get(48), pinKey, macKey));
        Assert.Equal(DemoKeys.PinKey, pinKey);
        Assert.Equal(DemoKeys.MacKey, macKey);
    }

    [Fact]
    public void Mac_test_vector_quoted_in_the_document_is_what_the_code_computes()
    {
        var mac = new byte[RetailMac.Length];
        RetailMac.Compute(Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"), "Now is the time for all "u8, mac);

        Assert.Contains($"`Now is the time for all ` → MAC `{Convert.ToHexString(mac)}`", ProtocolDocument.Read(), StringComparison.Ordinal);
    }

    [Fact]
    public void Kcv_example_quoted_in_the_document_is_what_the_code_computes()
    {
        var kcv = KeyCheckValue.ToHex(Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"));

        Assert.Contains($"the KCV of `0123456789ABCDEFFEDCBA9876543210` is `{kcv}`", ProtocolDocument.Read(), StringComparison.Ordinal);
    }

    [Fact]
    public void Document_states_the_codec_default_frame_limit()
    {
        var limit = SocketAtm.Protocol.Framing.LengthPrefixedFrameReader.DefaultMaxFrameLength;

        Assert.Contains($"messages of up to {limit} bytes by default", ProtocolDocument.Read(), StringComparison.Ordinal);
    }

    [Fact]
    public void Hex_dump_shows_offset_two_groups_of_eight_and_ascii()
    {
        var bytes = Encoding.ASCII.GetBytes("0200ABCDEFGHIJKL\u0001Z");

        var dump = HexDump.Format(bytes);

        Assert.Equal(
            "0000  30 32 30 30 41 42 43 44  45 46 47 48 49 4A 4B 4C  0200ABCDEFGHIJKL\n" +
            "0010  01 5A                                             .Z\n",
            dump);
    }
}
