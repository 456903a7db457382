namespace SocketAtm.Fixtures;

/// <summary>
/// The demo cards the host seeds (src/Server/Ledger/DemoData.cs, PROTOCOL.md §13), each by what it is for, with its PIN
/// and its track 2 (PAN, <c>=</c>, expiry, service code 101, then PVKI 1, the PVV under the demo PVK and the CVV under the
/// demo CVK), as a card reader reads it off the stripe.
/// Constants, so that tests can name them in attributes and defaults; DemoDataFixturesTests (tests/SocketAtm.Server.Tests)
/// holds them to the host's seed. Demo cards only: never a real card.
/// </summary>
public static class DemoCards
{
    /// <summary>Active, 1,000.00, default limits 500.00 / 10 a day.</summary>
    public const string Active = "4761739001010119";
    public const string ActivePin = "1234";
    public const string ActiveTrack2 = "4761739001010119=281210114931734";

    /// <summary>Active, 50.00: too poor for most withdrawals (51).</summary>
    public const string Poor = "4761739001010127";
    public const string PoorPin = "4321";
    public const string PoorTrack2 = "4761739001010127=281210115816046";

    /// <summary>Expired 2023-12 (54).</summary>
    public const string Expired = "4761739001010135";
    public const string ExpiredPin = "1111";
    public const string ExpiredTrack2 = "4761739001010135=231210118295739";

    /// <summary>Restricted by the issuer (62).</summary>
    public const string Restricted = "4761739001010143";
    public const string RestrictedPin = "2222";
    public const string RestrictedTrack2 = "4761739001010143=281210119159682";

    /// <summary>Active, 1,000,000.00, limits 1,000,000.00 / 100,000 a day: the card for load and benchmarks.</summary>
    public const string Rich = "4761739001010150";
    public const string RichPin = "3333";
    public const string RichTrack2 = "4761739001010150=281210115429670";
}
