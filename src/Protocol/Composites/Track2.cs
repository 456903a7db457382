namespace SocketAtm.Protocol.Composites;

/// <summary>
/// DE 35, track 2 equivalent data (ISO/IEC 7813, up to 37 characters): the PAN, a separator (<c>=</c>, or <c>D</c> as
/// some stacks write it), the expiry YYMM, the 3-digit service code, then the issuer's discretionary data. SocketAtm
/// cards lay that data out the common Visa way: the PVKI (1 digit), the PVV (4) and the CVV (3); anything after is
/// free. The parts are slices of the field: reading one allocates nothing.
/// </summary>
public readonly ref struct Track2
{
    public const int MaxLength = 37;
    public const int ExpiryLength = 4;
    public const int ServiceCodeLength = 3;
    public const int CvvLength = 3;

    /// <summary>Where the CVV sits in the discretionary data: after the PVKI (1) and the PVV (4).</summary>
    public const int CvvOffset = 5;

    private const int MinPanLength = 12;
    private const int MaxPanLength = 19;

    private Track2(ReadOnlySpan<byte> pan, ReadOnlySpan<byte> expiry, ReadOnlySpan<byte> serviceCode, ReadOnlySpan<byte> discretionary)
    {
        Pan = pan;
        Expiry = expiry;
        ServiceCode = serviceCode;
        Discretionary = discretionary;
    }

    /// <summary>The PAN, 12 to 19 digits.</summary>
    public ReadOnlySpan<byte> Pan { get; }

    /// <summary>The expiry, YYMM.</summary>
    public ReadOnlySpan<byte> Expiry { get; }

    /// <summary>The service code, 3 digits.</summary>
    public ReadOnlySpan<byte> ServiceCode { get; }

    /// <summary>Everything after the service code, possibly empty.</summary>
    public ReadOnlySpan<byte> Discretionary { get; }

    /// <summary>The CVV from the discretionary data; empty when the data is too short to hold one.</summary>
    public ReadOnlySpan<byte> Cvv => Discretionary.Length >= CvvOffset + CvvLength ? Discretionary.Slice(CvvOffset, CvvLength) : [];

    /// <summary>Reads DE 35; false when it is not a PAN, a separator, an expiry and a service code, all digits after the separator.</summary>
    public static bool TryParse(ReadOnlySpan<byte> field, out Track2 track)
    {
        track = default;
        var separator = field.IndexOfAny((byte)'=', (byte)'D');
        if (field.Length > MaxLength || separator is < MinPanLength or > MaxPanLength)
        {
            return false;
        }

        var rest = field[(separator + 1)..];
        if (rest.Length < ExpiryLength + ServiceCodeLength || !AllDigits(field[..separator]) || !AllDigits(rest))
        {
            return false;
        }

        track = new Track2(
            field[..separator],
            rest[..ExpiryLength],
            rest.Slice(ExpiryLength, ServiceCodeLength),
            rest[(ExpiryLength + ServiceCodeLength)..]);
        return true;
    }

    /// <summary>
    /// Writes a track 2 for a card: PAN, <c>=</c>, expiry, service code, then PVKI, PVV and CVV as discretionary data.
    /// For terminals and test tools; returns the number of bytes written.
    /// </summary>
    public static int Write(ReadOnlySpan<byte> pan, ReadOnlySpan<byte> expiry, ReadOnlySpan<byte> serviceCode, int pvki, ReadOnlySpan<byte> pvv, ReadOnlySpan<byte> cvv, Span<byte> destination)
    {
        if (pan.Length is < MinPanLength or > MaxPanLength || expiry.Length != ExpiryLength || serviceCode.Length != ServiceCodeLength
            || (uint)pvki > 9 || pvv.Length != 4 || cvv.Length != CvvLength)
        {
            throw new ArgumentException("A track 2 needs a 12–19 digit PAN, YYMM, a 3-digit service code, a PVKI digit, 4 PVV and 3 CVV digits.");
        }

        var length = pan.Length + 1 + ExpiryLength + ServiceCodeLength + 1 + pvv.Length + CvvLength;
        var output = destination[..length];
        pan.CopyTo(output);
        var at = pan.Length;
        output[at++] = (byte)'=';
        expiry.CopyTo(output[at..]);
        at += ExpiryLength;
        serviceCode.CopyTo(output[at..]);
        at += ServiceCodeLength;
        output[at++] = (byte)('0' + pvki);
        pvv.CopyTo(output[at..]);
        at += pvv.Length;
        cvv.CopyTo(output[at..]);
        return length;
    }

    private static bool AllDigits(ReadOnlySpan<byte> value) => !value.ContainsAnyExceptInRange((byte)'0', (byte)'9');
}
