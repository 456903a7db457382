using SocketAtm.Client;

namespace SocketAtm.TerminalClient.Scripted;

/// <summary>The options every command shares, turned into client options.</summary>
internal sealed record ScriptSettings(string Host, int Port, string TerminalId, TimeSpan Timeout, bool? UseMac, bool ExchangeKeys, bool Json, TlsClientOptions? Tls = null)
{
    public TerminalConnectionOptions Connection => new()
    {
        Host = Host,
        Port = Port,
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
}
