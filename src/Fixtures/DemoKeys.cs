namespace SocketAtm.Fixtures;

/// <summary>
/// The published demo keys of PROTOCOL.md, which the host's demo terminals hold (src/Server/Ledger/DemoData.cs;
/// DemoDataFixturesTests in tests/SocketAtm.Server.Tests holds these to it). Demo only: never for production.
/// </summary>
public static class DemoKeys
{
    public const string MasterKeyHex = "F72E4C31320DC7AA66EAEAB7FAA58FAD";
    public const string PinKeyHex = "A13F766224F292F868D54D2CFAB1683A";
    public const string MacKeyHex = "1146ADC3F56CFB56FF054B0FEA03B0EE";
    public const string PinVerificationKeyHex = "59FC8F97BFDFF32A1121A96AB0E1A0AD";
    public const string CardVerificationKeyHex = "583F14357E5404115BCF480B3AB7BFEE";

    /// <summary>A new copy each time, so that no caller can change the key another caller uses.</summary>
    public static byte[] MasterKey => Convert.FromHexString(MasterKeyHex);

    public static byte[] PinKey => Convert.FromHexString(PinKeyHex);

    public static byte[] MacKey => Convert.FromHexString(MacKeyHex);

    /// <summary>The PVK the host derives PIN verification values with (index 1).</summary>
    public static byte[] PinVerificationKey => Convert.FromHexString(PinVerificationKeyHex);

    /// <summary>The CVK pair (CVK A then CVK B) the demo cards' track 2 CVVs are computed under.</summary>
    public static byte[] CardVerificationKey => Convert.FromHexString(CardVerificationKeyHex);
}
