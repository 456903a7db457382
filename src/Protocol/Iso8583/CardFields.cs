namespace SocketAtm.Protocol.Iso8583;

/// <summary>Where card data sits in a request: the PAN in DE 2, or in track 2 (DE 35) before its separator.</summary>
public static class CardFields
{
    /// <summary>The PAN from DE 2, else from track 2; empty when neither is present.</summary>
    public static ReadOnlySpan<byte> Pan(IsoMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Has(2))
        {
            return message.Get(2);
        }

        var track2 = message.Get(35);
        var separator = track2.IndexOfAny((byte)'=', (byte)'D');
        return separator >= 0 ? track2[..separator] : track2;
    }

    /// <summary>The expiry (YYMM) from DE 14, else from track 2 (the 4 digits after the separator); empty when unknown.</summary>
    public static ReadOnlySpan<byte> Expiry(IsoMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Has(14))
        {
            return message.Get(14);
        }

        var track2 = message.Get(35);
        var separator = track2.IndexOfAny((byte)'=', (byte)'D');
        return separator >= 0 && track2.Length >= separator + 5 ? track2.Slice(separator + 1, 4) : [];
    }
}
