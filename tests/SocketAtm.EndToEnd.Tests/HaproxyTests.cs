using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>
/// deploy/haproxy.cfg as shipped (its health-check placeholders filled with what <c>admin haproxy-check</c> prints for a
/// terminal of the operator's own, its ports and check interval changed) in front of two hosts on one PostgreSQL
/// database, which take the PROXY protocol from it: its health check must recognise a healthy host and notice a stopped
/// one, terminals must be served through it before and after, and the hosts must see the terminals' own address.
/// </summary>
public sealed partial class HaproxyTests(PostgreSqlServerFixture postgres) : IClassFixture<PostgreSqlServerFixture>, IDisposable
{
    private const string HealthCheckTerminal = "HCHECK01";

    private readonly string _config = Path.Combine(Path.GetTempPath(), "socketatm-haproxy-" + Guid.NewGuid().ToString("N")[..12] + ".cfg");

    [HaproxyFact]
    public async Task Terminals_are_served_through_HAProxy_and_a_stopped_host_is_taken_out()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        string[] args = [
            // Behind a proxy the hosts serve the network although they listen on loopback: the demo's relaxations are explicit.
            .. OffLoopbackRelaxations.Demo(),
            "--Storage:Provider=PostgreSql", "--Storage:ConnectionString=" + connectionString,
            "--Listener:ProxyProtocol=On", "--Listener:TrustedProxies:0=127.0.0.1",
            "--Serilog:MinimumLevel:Override:SocketAtm.Server.Transport.TerminalListener=Information"];
        var sink = new CapturingSink();
        void Capture(IServiceCollection services) => services.AddSingleton<ILogEventSink>(sink);
        var hosts = await Task.WhenAll(RunningHost.StartWithServicesAsync(Capture, args), RunningHost.StartWithServicesAsync(Capture, args));
        await using var hostA = hosts[0];
        await using var hostB = hosts[1];
        // As the shipped file tells an operator: a health-check terminal of one's own, and the lines haproxy-check prints for it.
        await hostA.Services.GetRequiredService<Server.Ledger.ILedgerAdmin>().AddTerminalAsync(
            new Server.Ledger.TerminalRegistration
            {
                TerminalId = HealthCheckTerminal,
                MasterKey = RandomNumberGenerator.GetBytes(16),
                PinKey = RandomNumberGenerator.GetBytes(16),
                MacKey = RandomNumberGenerator.GetBytes(16),
            },
            CancellationToken.None);
        using var checkLines = new StringWriter();
        Assert.Equal(0, await Server.Admin.AdminCommandLine.RunAsync(["haproxy-check", "--terminal", HealthCheckTerminal], checkLines, TextWriter.Null));
        var frontend = FreeTcpPort.Take();
        await File.WriteAllTextAsync(
            _config, Adapt(await File.ReadAllTextAsync(RepositoryFiles.PathOf("deploy", "haproxy.cfg")), checkLines.ToString(), frontend, hostA.EndPoint.Port, hostB.EndPoint.Port));
        var log = new ConcurrentQueue<string>();
        using var haproxy = StartHaproxy(log);
        try
        {
            await WaitForAsync(log, "Health check for server socketatm/host-a succeeded");
            await WaitForAsync(log, "Health check for server socketatm/host-b succeeded");
            var front = new IPEndPoint(IPAddress.Loopback, frontend);
            Assert.Equal(["00", "00", "00", "00"], await WithdrawThroughAsync(front, terminals: 4));

            // send-proxy-v2: the hosts see each terminal's own address, not HAProxy's.
            Assert.Equal(4, sink.Lines.Count(line => line.StartsWith("Connection accepted from \"127.0.0.9:", StringComparison.Ordinal) && line.Contains("through proxy \"127.0.0.1:", StringComparison.Ordinal)));

            await hostA.StopAsync();
            await WaitForAsync(log, "Server socketatm/host-a is DOWN");

            Assert.Equal(["00", "00", "00", "00"], await WithdrawThroughAsync(front, terminals: 4));
            var balance = await hostB.Services.GetRequiredService<Server.Ledger.ILedgerAdmin>().GetCardBalanceAsync(TestTerminal.DemoPan, CancellationToken.None);
            Assert.Equal(100_000 - (8 * 1_000), balance!.LedgerBalance);
        }
        finally
        {
            haproxy.Kill();
            await haproxy.WaitForExitAsync();
        }
    }

    /// <summary>Where the terminals connect from, apart from HAProxy's own 127.0.0.1.</summary>
    private static readonly IPAddress TerminalAddress = IPAddress.Parse("127.0.0.9");

    public void Dispose() => File.Delete(_config);

    /// <summary>
    /// The shipped configuration with its two placeholder lines replaced by <paramref name="checkLines"/> (what
    /// haproxy-check printed), on test ports, with a quicker check so the test need not wait 10 s for DOWN.
    /// </summary>
    private static string Adapt(string shipped, string checkLines, int frontend, int hostA, int hostB)
    {
        var printed = checkLines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var adapted = shipped
            .Replace("tcp-check send-binary REPLACE-WITH-THE-SEND-BINARY-LINE-OF-admin-haproxy-check", printed[0], StringComparison.Ordinal)
            .Replace("tcp-check expect binary REPLACE-WITH-THE-EXPECT-BINARY-LINE-OF-admin-haproxy-check", printed[1], StringComparison.Ordinal)
            .Replace("bind :8583", $"bind 127.0.0.1:{frontend}", StringComparison.Ordinal)
            .Replace("127.0.0.1:8584", $"127.0.0.1:{hostA}", StringComparison.Ordinal)
            .Replace("127.0.0.1:8585", $"127.0.0.1:{hostB}", StringComparison.Ordinal);
        adapted = CheckInterval().Replace(adapted, "inter 300ms");
        // The shipped file still has the lines this test edits.
        Assert.Contains($"127.0.0.1:{hostB}", adapted, StringComparison.Ordinal);
        Assert.DoesNotContain("REPLACE-WITH-", adapted, StringComparison.Ordinal);
        return adapted;
    }

    private static async Task<string[]> WithdrawThroughAsync(IPEndPoint front, int terminals)
    {
        var results = new List<string>();
        for (var i = 0; i < terminals; i++)
        {
            var client = new System.Net.Sockets.TcpClient(new IPEndPoint(TerminalAddress, 0)) { NoDelay = true };
            await client.ConnectAsync(front);
            await using var atm = await TestTerminal.AttachAsync(client.GetStream(), client);
            results.Add((await atm.ExchangeAsync(atm.Withdrawal(1_000, TestTerminal.NextStan()))).GetString(39) ?? "(none)");
        }

        return [.. results];
    }

    private Process StartHaproxy(ConcurrentQueue<string> log)
    {
        var start = new ProcessStartInfo(HaproxyFactAttribute.Program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-db", "-f", _config])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) { log.Enqueue(line.Data); } };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) { log.Enqueue(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForAsync(ConcurrentQueue<string> log, string text)
    {
        var deadline = Stopwatch.StartNew();
        while (!log.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"HAProxy never logged \"{text}\". Its log:\n{string.Join('\n', log)}");
            await Task.Delay(50);
        }
    }

    [GeneratedRegex(@"inter \d+m?s")]
    private static partial Regex CheckInterval();
}
