namespace SocketAtm.Protocol.Vocabulary;

/// <summary>Network management information codes (DE 70) of an 0800.</summary>
public static class NetworkManagementCodes
{
    public const int SignOn = 1;
    public const int SignOff = 2;
    public const int KeyExchange = 161;
    public const int Echo = 301;
}
