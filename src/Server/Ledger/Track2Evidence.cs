namespace SocketAtm.Server.Ledger;

/// <summary>
/// What a card request's track 2 (DE 35) said, as its handler read and verified it: the ledger's card checks compare it
/// with the card on file (<see cref="Rules.CardChecks"/>). Numbers rather than strings, so that carrying it allocates
/// nothing; no PAN, no CVV, nothing that could be logged by mistake.
/// </summary>
/// <param name="PanMatches">False when DE 2 is present and is not the PAN of DE 35.</param>
/// <param name="CvvVerified">True when the CVV of DE 35 verified under the issuer's CVK, as a CVV or an iCVV (service code 999).</param>
/// <param name="Expiry">The expiry of DE 35, YYMM read as a number (2812 for December 2028).</param>
/// <param name="ServiceCode">The service code of DE 35, its three digits read as a number (101).</param>
internal readonly record struct Track2Evidence(bool PanMatches, bool CvvVerified, int Expiry, int ServiceCode)
{
    /// <summary>True when <paramref name="expiry"/> (YYMM) and <paramref name="serviceCode"/> (3 digits) of a card on file are this track's.</summary>
    public bool AgreesWith(string expiry, string serviceCode) =>
        TryReadNumber(expiry, 4, out var cardExpiry) && cardExpiry == Expiry
        && TryReadNumber(serviceCode, 3, out var cardServiceCode) && cardServiceCode == ServiceCode;

    /// <summary>Reads <paramref name="digits"/> as a number when it is exactly <paramref name="length"/> ASCII digits.</summary>
    public static bool TryReadNumber(ReadOnlySpan<char> digits, int length, out int value)
    {
        value = 0;
        if (digits.Length != length)
        {
            return false;
        }

        foreach (var digit in digits)
        {
            if (!char.IsAsciiDigit(digit))
            {
                return false;
            }

            value = (value * 10) + (digit - '0');
        }

        return true;
    }

    /// <summary>The same, for ASCII bytes as a track carries them.</summary>
    public static bool TryReadNumber(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            if ((uint)(digit - '0') > 9)
            {
                return false;
            }

            value = (value * 10) + (digit - '0');
        }

        return digits.Length > 0;
    }
}
