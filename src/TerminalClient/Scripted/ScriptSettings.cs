using SocketAtm.Client;

namespace SocketAtm.TerminalClient.Scripted;

/// <summary>The options every command shares, turned into client options.</summary>
internal sealed record ScriptSettings(string Host, int Port, string TerminalId, TimeSpan Timeout, bool? UseMac, bool ExchangeKeys, bool Json, TlsClientOptions? Tls = null)
{
    public TerminalConnectionOptions Connection => new()
    {
        Host = Hosts[0].Host,
        Port = Hosts[0].Port,
        FailoverHosts = [.. Hosts.Skip(1).Select(host => $"{host.Host}:{host.Port}")],
        ConnectTimeout = Timeout,
        Tls = Tls,
    };

    public TerminalClientOptions Terminal => new()
    {
        TerminalId = TerminalId,
        RequestTimeout = Timeout,
        UseMac = UseMac,
        ExchangeKeysAtSignOn = ExchangeKeys,
    };

    /// <summary><c>--host</c> as a list: <c>a,b:8584</c> is a:<see cref="Port"/> first, then b:8584.</summary>
    private (string Host, int Port)[] Hosts => [.. Host.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(entry =>
    {
        var colon = entry.LastIndexOf(':');
        return colon > 0 && int.TryParse(entry.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var port)
            ? (entry[..colon], port)
            : (entry, Port);
    })];
}
