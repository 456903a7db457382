namespace SocketAtm.Server.Handlers;

/// <summary>
/// The issuer's word on card requests without track 2 (DE 35), bound from the configuration section
/// <see cref="SectionName"/>. Without DE 35 nothing says a card was present: only the PAN and the PIN, which is all a
/// skimmer's customer and a generic ISO 8583 tool have. With it, the host checks the track against the card on file and
/// verifies its CVV.
/// </summary>
internal sealed class Track2Options
{
    public const string SectionName = "Security";

    /// <summary>
    /// True: an 0100/0200 without DE 35 (DE 2 alone) is accepted. False: it is answered 30, DE 35 being mandatory.
    /// Unset (the default): accepted while the listener is on loopback (the demo, generic ISO 8583 tools), refused off it.
    /// </summary>
    public bool? AcceptRequestsWithoutTrack2 { get; set; }

    /// <summary>Whether a request without DE 35 is accepted by a host whose listener is (or is not) on loopback.</summary>
    public bool AcceptsRequestsWithoutTrack2(bool listenerIsLoopback) => AcceptRequestsWithoutTrack2 ?? listenerIsLoopback;
}
