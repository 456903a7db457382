using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Routing;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Admin;

/// <summary>
/// <c>admin routes</c>: the configured issuer routes (from the same sources as the host; the demo route on loopback
/// when none is configured) and their link state as the running host last wrote it to the data directory. Keys are
/// shown as set or not, with their KCVs: never the keys themselves.
/// </summary>
internal static class RoutesCommand
{
    public static Command Create(Option<string?> data, AdminConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var command = new Command("routes", "List the issuer routes (BINs, endpoints, keys set, with KCVs) and their link state as the running host last recorded it.");
        command.SetAction(async (result, cancellation) =>
        {
            var (ledger, _) = AdminCommandLine.LoadOptions(result.GetValue(data));
            var routing = LoadRouting();
            var status = LinkStatusFile.TryRead(LinkStatusFile.PathIn(ledger.DataDirectory));
            await console.Output.WriteAsync(Describe(routing, status));
            return 0;
        });
        return command;
    }

    /// <summary>The routes as the host would bind them (including its demo route rule), without validation.</summary>
    internal static RoutingOptions LoadRouting()
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables(ServerHost.EnvironmentPrefix)
            .Build();
        var routing = new RoutingOptions();
        configuration.GetSection(RoutingOptions.SectionName).Bind(routing);
        var listener = new Transport.ListenerOptions();
        configuration.GetSection(Transport.ListenerOptions.SectionName).Bind(listener);
        DemoRoute.AddWhenNoneConfigured(routing, listener);
        return routing;
    }

    internal static string Describe(RoutingOptions routing, LinkStatusSnapshot? status)
    {
        ArgumentNullException.ThrowIfNull(routing);
        var text = new System.Text.StringBuilder();
        if (routing.Routes.Count == 0)
        {
            text.AppendLine("No routes: cards not in the ledger are answered 14.");
            return text.ToString();
        }

        text.AppendLine(status switch
        {
            null => "Link state: none recorded (the host has not run with routes on this data directory).",
            { Running: true } => Invariant($"Link state as the running host (pid {status.ProcessId}) recorded it at {status.WrittenAt:yyyy-MM-dd HH:mm:ss} UTC:"),
            _ => Invariant($"Link state: the host stopped at {status.WrittenAt:yyyy-MM-dd HH:mm:ss} UTC; last counters:"),
        });
        for (var index = 0; index < routing.Routes.Count; index++)
        {
            var route = routing.Routes[index];
            var at = RoutingOptionsValidator.Setting(index);
            text.AppendLine();
            text.AppendLine(Invariant($"{route.Name}{(routing.IsDemo ? " (demo, loopback only)" : "")}"));
            text.AppendLine("  BINs         " + string.Join(", ", route.Bins));
            text.AppendLine("  endpoints    " + string.Join(", ", route.Endpoints));
            text.AppendLine(Invariant($"  connections  {route.Connections}, timeout {route.Timeout:c}, echo every {route.EchoInterval:c}, at most {route.MaxInFlight} in flight"));
            text.AppendLine("  acquirer id  " + route.AcquirerId);
            text.AppendLine("  ZPK          " + KeyState(route.ZonePinKey, route.ZonePinKeyFile, at + ":ZonePinKey"));
            text.AppendLine("  ZAK          " + KeyState(route.ZoneMacKey, route.ZoneMacKeyFile, at + ":ZoneMacKey"));
            text.AppendLine(Invariant($"  breaker      opens after {route.BreakerFailures} financial requests timed out in a row within {route.BreakerWindow:c}, for {route.BreakerOpenFor:c}"));
            text.AppendLine("  TLS          " + (route.Tls.Enabled ? "on, trusting " + route.Tls.AuthorityBundle + (route.Tls.ClientCertificatePath is null ? "" : ", client certificate " + route.Tls.ClientCertificatePath) : "off"));
            if (status?.Routes.FirstOrDefault(link => link.Route == route.Name) is { } link)
            {
                text.AppendLine(Invariant($"  link         {link.SignedOn} of {link.Connections} signed on ({string.Join(", ", link.Endpoints.Select(endpoint => endpoint ?? "-"))}), last change {link.LastChange:yyyy-MM-dd HH:mm:ss} UTC, {link.LinkChanges} changes"));
                text.AppendLine(Invariant($"  breaker now  {BreakerWords(link.Breaker)}, opened {link.BreakerOpens} times"));
                text.AppendLine(Invariant($"  counters     {link.Requests} sent, {link.Answered} answered, {link.TimedOut} timed out, {link.Untrusted} untrusted, {link.NotSent} not sent, {link.LateAnswers} late, {link.UnmatchedAnswers} unmatched, {link.FramingErrors} framing errors"));
            }
        }

        return text.ToString();
    }

    private static string BreakerWords(BreakerState state) => state switch
    {
        BreakerState.Open => "open (financial requests are not sent: the terminals get 91)",
        BreakerState.HalfOpen => "half-open (one financial request probes the issuer)",
        _ => "closed",
    };

    private static string KeyState(string? value, string? file, string setting)
    {
        if (!ZoneKey.TryLoad(value, file, setting, out var key, out var problem))
        {
            return "unreadable: " + problem;
        }

        if (key is null)
        {
            return "not set";
        }

        var kcv = KeyCheckValue.ToHex(key);
        Array.Clear(key);
        return (string.IsNullOrWhiteSpace(value) ? "set (file " + file + ")" : "set") + ", KCV " + kcv;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
