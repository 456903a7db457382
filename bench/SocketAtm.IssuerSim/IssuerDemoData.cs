namespace SocketAtm.IssuerSim;

/// <summary>
/// The simulator's published demo data: the demo zone PIN key the host's demo route also holds, and the not-on-us demo
/// cards on BIN 541333 seeded into a new book. Public test data: never use it outside a test environment.
/// </summary>
public static class IssuerDemoData
{
    /// <summary>The demo ZPK (double-length), shared with the host's demo route "demo-issuer".</summary>
    public const string ZonePinKeyHex = "1F2E3D4C5B6A79880918273645546372";

    /// <summary>The BIN of the demo cards.</summary>
    public const string Bin = "541333";

    /// <summary>Every demo card's PIN.</summary>
    public const string Pin = "1234";

    /// <summary>Currency of every demo account: US dollar (ISO 4217 840), as the host's demo cards.</summary>
    public const int Currency = 840;

    /// <summary>Approved withdrawals: a large balance (1,000,000.00).</summary>
    public static readonly DemoIssuerCard Rich = new("5413330000000019", 100_000_000, "3012", Blocked: false);

    /// <summary>A small balance (20.00): a withdrawal above it is declined 51.</summary>
    public static readonly DemoIssuerCard Poor = new("5413330000000027", 2_000, "3012", Blocked: false);

    /// <summary>Expired in January 2020: declined 54.</summary>
    public static readonly DemoIssuerCard Expired = new("5413330000000035", 50_000, "2001", Blocked: false);

    /// <summary>Blocked by the issuer: declined 62.</summary>
    public static readonly DemoIssuerCard Blocked = new("5413330000000043", 50_000, "3012", Blocked: true);

    /// <summary>The cards a new book starts with.</summary>
    public static IReadOnlyList<DemoIssuerCard> Cards { get; } = [Rich, Poor, Expired, Blocked];

    /// <summary>A fresh copy of the demo ZPK's bytes.</summary>
    public static byte[] ZonePinKey()
    {
        return Convert.FromHexString(ZonePinKeyHex);
    }
}

/// <summary>One demo card: PAN, opening balance in minor units, expiry (YYMM) and whether the issuer blocked it.</summary>
public sealed record DemoIssuerCard(string Pan, long Balance, string Expiry, bool Blocked);
