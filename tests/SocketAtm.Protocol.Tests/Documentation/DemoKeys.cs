namespace SocketAtm.Protocol.Tests.Documentation;

/// <summary>The published demo keys of BRIEF.md and PROTOCOL.md. Demo only: never for production.</summary>
internal static class DemoKeys
{
    public const string MasterKeyHex = "F72E4C31320DC7AA66EAEAB7FAA58FAD";
    public const string PinKeyHex = "A13F766224F292F868D54D2CFAB1683A";
    public const string MacKeyHex = "1146ADC3F56CFB56FF054B0FEA03B0EE";
    public const string PinVerificationKeyHex = "59FC8F97BFDFF32A1121A96AB0E1A0AD";

    public static byte[] MasterKey => Convert.FromHexString(MasterKeyHex);

    public static byte[] PinKey => Convert.FromHexString(PinKeyHex);

    public static byte[] MacKey => Convert.FromHexString(MacKeyHex);
}
