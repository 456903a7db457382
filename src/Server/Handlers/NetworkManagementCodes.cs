namespace SocketAtm.Server.Handlers;

/// <summary>Network management information codes (DE 70) the host answers.</summary>
internal static class NetworkManagementCodes
{
    public const long SignOn = 1;
    public const long SignOff = 2;
    public const long KeyExchange = 161;
    public const long Echo = 301;
}
