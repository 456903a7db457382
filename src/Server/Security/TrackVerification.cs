using SocketAtm.Protocol.Composites;

namespace SocketAtm.Server.Security;

/// <summary>
/// Whether a track 2 was written by the issuer: its CVV is the one its PAN, expiry and service code give under the CVK,
/// or — for the track 2 image a chip card hands the terminal — the iCVV, computed with service code 999 instead. Runs on
/// the request path for every card request with DE 35: stack buffers and slices only, nothing allocated.
/// </summary>
internal static class TrackVerification
{
    /// <summary>True when <paramref name="track"/>'s CVV verifies under <paramref name="cvk"/> as a CVV or an iCVV.</summary>
    public static bool CvvVerifies(ReadOnlySpan<byte> cvk, in Track2 track)
    {
        var cvv = track.Cvv;
        if (cvv.Length != CardVerificationValue.Length)
        {
            return false;
        }

        // Both are computed, so that how long the check takes does not say which of the two a forged value failed.
        var asStripe = CardVerificationValue.Verify(cvk, track.Pan, track.Expiry, track.ServiceCode, cvv);
        var asChip = CardVerificationValue.Verify(cvk, track.Pan, track.Expiry, CardVerificationValue.ChipServiceCode, cvv);
        return asStripe | asChip;
    }
}
