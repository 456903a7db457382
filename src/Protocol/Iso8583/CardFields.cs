using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Protocol.Iso8583;

/// <summary>Where card data sits in a request: the PAN in DE 2, or in track 2 (DE 35, read as <see cref="Track2"/>).</summary>
public static class CardFields
{
    /// <summary>
    /// The PAN from DE 2, else from a well-formed track 2; empty when neither is there (a track 2 that does not parse
    /// names no card, whatever digits it starts with).
    /// </summary>
    public static ReadOnlySpan<byte> Pan(IsoMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Has(DataElements.PrimaryAccountNumber))
        {
            return message.Get(DataElements.PrimaryAccountNumber);
        }

        return Track2.TryParse(message.Get(DataElements.Track2), out var track) ? track.Pan : [];
    }

    /// <summary>The expiry (YYMM) from DE 14, else from a well-formed track 2; empty when unknown.</summary>
    public static ReadOnlySpan<byte> Expiry(IsoMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Has(DataElements.ExpirationDate))
        {
            return message.Get(DataElements.ExpirationDate);
        }

        return Track2.TryParse(message.Get(DataElements.Track2), out var track) ? track.Expiry : [];
    }
}
