using System.Text;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Protocol.Masking;

/// <summary>
/// Log-safe rendering of card data. A PAN is shown as at most its first 6 and last 4 digits; track 2,
/// PIN blocks, MACs, security control data and private data (which may carry key material) are never shown.
/// </summary>
public static class SensitiveData
{
    /// <summary>Masks a PAN: first 6 and last 4 digits for PANs of 13 digits or more, last 4 only for shorter ones.</summary>
    public static string MaskPan(ReadOnlySpan<byte> pan)
    {
        if (pan.IsEmpty)
        {
            return string.Empty;
        }

        var shownHead = pan.Length >= 13 ? 6 : 0;
        var shownTail = pan.Length > 4 ? 4 : 0;
        return string.Create(pan.Length, (shownHead, shownTail, pan.ToArray()), static (chars, state) =>
        {
            var (head, tail, digits) = state;
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = i < head || i >= chars.Length - tail ? (char)digits[i] : '*';
            }

            Array.Clear(digits);
        });
    }

    /// <inheritdoc cref="MaskPan(ReadOnlySpan{byte})"/>
    public static string MaskPan(string? pan) =>
        string.IsNullOrEmpty(pan) ? string.Empty : MaskPan(Encoding.ASCII.GetBytes(pan));

    /// <summary>How a field is shown in logs.</summary>
    public static FieldVisibility VisibilityOf(int field) => field switch
    {
        2 or 102 => FieldVisibility.MaskedPan,
        35 or 48 or 52 or 53 or 64 or 96 or 128 => FieldVisibility.Hidden,
        _ => FieldVisibility.Clear,
    };

    /// <summary>A one-line, log-safe description of a message, e.g. <c>0200 DE2=476173******0119 DE3=010000 DE52=[8 bytes hidden]</c>.</summary>
    public static string Describe(IsoMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = new StringBuilder(256);
        text.Append(message.Mti < 0 ? "????" : message.Mti.ToString("D4", System.Globalization.CultureInfo.InvariantCulture));
        foreach (var field in message.Fields)
        {
            text.Append(" DE").Append(field).Append('=');
            var value = message.Get(field);
            switch (VisibilityOf(field))
            {
                case FieldVisibility.MaskedPan:
                    text.Append(MaskPan(value));
                    break;
                case FieldVisibility.Hidden:
                    text.Append('[').Append(value.Length).Append(" bytes hidden]");
                    break;
                default:
                    text.Append(Encoding.ASCII.GetString(value));
                    break;
            }
        }

        return text.ToString();
    }
}
