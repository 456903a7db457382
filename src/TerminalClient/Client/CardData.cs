using SocketAtm.Client.Messages;
using SocketAtm.Protocol.Masking;

namespace SocketAtm.Client;

/// <summary>
/// The card a customer inserted, as the card reader read it: its track 2 (sent as DE 35, PROTOCOL.md §4), or — for a
/// card number typed in, or a test tool — only its PAN (sent as DE 2, which a host off loopback refuses by default).
/// Not a record, so that nothing prints the PAN or the track by accident: <see cref="ToString"/> masks.
/// </summary>
public sealed class CardData
{
    private CardData(string pan, string? track2)
    {
        Pan = pan;
        Track2 = track2;
    }

    /// <summary>The primary account number, 13–19 digits.</summary>
    public string Pan { get; }

    /// <summary>The track 2 as read off the card, or null when only the PAN is known.</summary>
    public string? Track2 { get; }

    /// <summary>A card known by its PAN alone.</summary>
    /// <exception cref="ArgumentException">The PAN is not 13–19 digits.</exception>
    public static CardData FromPan(string pan)
    {
        if (!TerminalMessages.IsValidPan(pan))
        {
            throw new ArgumentException("A PAN is 13–19 digits.", nameof(pan));
        }

        return new CardData(pan, null);
    }

    /// <summary>A card by its track 2: PAN, <c>=</c> (or <c>D</c>), expiry YYMM, service code, discretionary data.</summary>
    /// <exception cref="ArgumentException">It is not a track 2 with a 13–19 digit PAN.</exception>
    public static CardData FromTrack2(string track2)
    {
        ArgumentNullException.ThrowIfNull(track2);
        Span<byte> field = stackalloc byte[Protocol.Composites.Track2.MaxLength];
        if (track2.Length > field.Length || track2.Any(character => character > 0x7F))
        {
            throw new ArgumentException("A track 2 is at most 37 digits and one separator.", nameof(track2));
        }

        for (var i = 0; i < track2.Length; i++)
        {
            field[i] = (byte)track2[i];
        }

        if (!Protocol.Composites.Track2.TryParse(field[..track2.Length], out var track) || track.Pan.Length < 13)
        {
            throw new ArgumentException("A track 2 is a 13–19 digit PAN, '=', the expiry YYMM, a 3-digit service code and digits.", nameof(track2));
        }

        return new CardData(System.Text.Encoding.ASCII.GetString(track.Pan), track2);
    }

    /// <summary>True when <paramref name="text"/> reads as a track 2 rather than a bare PAN (it holds a separator).</summary>
    public static bool LooksLikeTrack2(string text) =>
        text is not null && text.AsSpan().IndexOfAny('=', 'D') >= 0;

    /// <summary>Log-safe: the PAN masked, never the track.</summary>
    public override string ToString() => $"Card {SensitiveData.MaskPan(Pan)}{(Track2 is null ? string.Empty : " (track 2)")}";
}
