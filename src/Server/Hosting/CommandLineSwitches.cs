namespace SocketAtm.Server.Hosting;

/// <summary>Short command-line switches for the settings people change most; every other setting uses <c>--Section:Key=value</c>.</summary>
internal static class CommandLineSwitches
{
    public static readonly IDictionary<string, string> Mappings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--port"] = "Listener:Port",
        ["--address"] = "Listener:Address",
        ["--data"] = "Ledger:DataDirectory",
        ["--ops-port"] = "Operations:Port",
    };
}
