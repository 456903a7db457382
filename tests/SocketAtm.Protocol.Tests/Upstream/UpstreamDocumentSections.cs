using System.Globalization;
using System.Text;
using SocketAtm.Protocol.Security;
using SocketAtm.Protocol.Tests.Documentation;

namespace SocketAtm.Protocol.Tests.Upstream;

/// <summary>
/// The generated parts of PROTOCOL.md §15: the demo ZPK with its KCV, the PIN translation worked through, and every
/// annotated upstream example. <see cref="DocumentSections"/> lists them with §1–14's, so the document tests compare and
/// regenerate them the same way.
/// </summary>
internal static class UpstreamDocumentSections
{
    public static IReadOnlyDictionary<string, Func<string>> All { get; } = BuildAll();

    private static Dictionary<string, Func<string>> BuildAll()
    {
        var sections = new Dictionary<string, Func<string>>
        {
            ["upstream-demo-keys"] = DemoKeysSection,
            ["upstream-pin-translation"] = PinTranslationSection,
        };
        foreach (var example in UpstreamExamples.All)
        {
            sections["example:" + example.Name] = () => DocumentSections.ExampleSection(example);
        }

        return sections;
    }

    private static string DemoKeysSection()
    {
        var text = new StringBuilder();
        text.Append("| Key | Value (hex) | KCV |\n");
        text.Append("|---|---|---|\n");
        text.Append(CultureInfo.InvariantCulture,
            $"| ZPK of the demo route `demo-issuer` (and of the issuer simulator) | `{UpstreamExamples.DemoZonePinKeyHex}` | `{KeyCheckValue.ToHex(UpstreamExamples.DemoZonePinKey)}` |\n");
        return text.ToString();
    }

    /// <summary>
    /// The terminal's block under the demo TPK, decrypted and encrypted again under the demo ZPK with the bare cipher:
    /// what a translation does. It must be the block <see cref="PinBlock"/> makes under the ZPK, since format 0 and the
    /// PAN do not change on the way.
    /// </summary>
    private static string PinTranslationSection()
    {
        var terminalBlock = UpstreamExamples.TerminalPinBlock();
        var clear = new byte[PinBlock.Length];
        KeyedCiphers.TripleDesEcb(DemoKeys.PinKey, encrypt: false, terminalBlock, clear);
        var upstreamBlock = new byte[PinBlock.Length];
        KeyedCiphers.TripleDesEcb(UpstreamExamples.DemoZonePinKey, encrypt: true, clear, upstreamBlock);
        if (!upstreamBlock.AsSpan().SequenceEqual(UpstreamExamples.ZonePinBlock()))
        {
            throw new InvalidOperationException("Translating under the bare cipher disagrees with PinBlock.Encrypt under the ZPK.");
        }

        var pan = UpstreamExamples.DemoPan;
        var pinField = "0" + UpstreamExamples.DemoPin.Length.ToString("X1", CultureInfo.InvariantCulture) + UpstreamExamples.DemoPin.PadRight(14, 'F');
        var panField = "0000" + pan[^13..^1];
        var xor = Convert.FromHexString(pinField);
        var panBytes = Convert.FromHexString(panField);
        for (var i = 0; i < xor.Length; i++)
        {
            xor[i] ^= panBytes[i];
        }

        if (!xor.AsSpan().SequenceEqual(clear))
        {
            throw new InvalidOperationException("The decrypted terminal block is not PIN field XOR PAN field.");
        }

        var text = new StringBuilder();
        text.Append("| Step | Value (hex) |\n");
        text.Append("|---|---|\n");
        text.Append(CultureInfo.InvariantCulture,
            $"| Terminal's DE 52: PIN {UpstreamExamples.DemoPin} for {pan}, format 0, under the demo TPK | `{Convert.ToHexString(terminalBlock)}` |\n");
        text.Append(CultureInfo.InvariantCulture,
            $"| Clear block inside the translation: PIN field `{pinField}` XOR PAN field `{panField}` | `{Convert.ToHexString(clear)}` |\n");
        text.Append(CultureInfo.InvariantCulture,
            $"| Upstream DE 52: the clear block encrypted under the demo ZPK (3DES ECB) | `{Convert.ToHexString(upstreamBlock)}` |\n");
        return text.ToString();
    }
}
