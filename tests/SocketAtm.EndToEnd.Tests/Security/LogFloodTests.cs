using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.EndToEnd.Tests.Security;

/// <summary>
/// The log flood, scripted over real sockets against the real host: Warnings anyone who reaches the port can cause at
/// will — a connection refused at a per-address cap, a request refused for a missing element — sent by the hundred. Each
/// is still refused and counted, but logged once per address and reason a minute, not once each.
/// </summary>
public sealed class LogFloodTests
{
    [Fact]
    public async Task A_flood_of_connections_over_the_unsigned_cap_is_refused_and_counted_each_time_and_logged_once()
    {
        var sink = new CapturingSink();
        await using var host = await RunningHost.StartWithServicesAsync(
            services => services.AddSingleton<ILogEventSink>(sink), "--Listener:MaxUnsignedConnectionsPerAddress=1");
        using var counters = new CounterTotals(host.Services.GetRequiredService<IMeterFactory>());
        await using var holder = await TestTerminal.ConnectAsync(host.EndPoint, signOn: false);
        Assert.Equal(ResponseCodes.Approved, (await holder.ExchangeAsync(holder.NetworkManagement(TestTerminal.NextStan(), "301"))).GetString(39));

        for (var attempt = 0; attempt < 50; attempt++)
        {
            Assert.True(await IsClosedByHostAsync(host.EndPoint));
        }

        Assert.Equal(50, counters.Count("socketatm.connections.refused/reason=max_unsigned_connections_per_address"));
        Assert.Single(sink.Lines, line => line.Contains("have no terminal signed on yet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Off_loopback_a_flood_of_requests_without_track_2_is_answered_30_each_time_and_logged_once()
    {
        var sink = new CapturingSink();
        await using var host = await RunningHost.StartWithServicesAsync(
            services => services.AddSingleton<ILogEventSink>(sink),
            "--address", "0.0.0.0",
            "--Listener:AllowPlaintext=true",
            "--Ledger:AllowDemoData=true",
            "--Ledger:KeyEncryptionKey=" + Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        await using var atm = await TestTerminal.ConnectAsync(new IPEndPoint(IPAddress.Loopback, host.EndPoint.Port), "ATM00001", signOn: false);
        Assert.Equal(ResponseCodes.Approved, (await atm.ExchangeAsync(Signed(atm.NetworkManagement(TestTerminal.NextStan(), "001")))).GetString(39));

        var answers = new List<string?>();
        for (var sent = 0; sent < 100; sent++)
        {
            answers.Add((await atm.ExchangeAsync(Signed(atm.Withdrawal(4_000, TestTerminal.NextStan())))).GetString(39));
        }

        Assert.Equal(Enumerable.Repeat(ResponseCodes.FormatError, 100), answers);
        Assert.Single(sink.Lines, line => line.Contains("mandatory DE 35 is missing", StringComparison.Ordinal));
    }

    private static IsoMessage Signed(IsoMessage request)
    {
        RetailMac.Sign(request, DemoKeys.MacKey);
        return request;
    }

    /// <summary>True when the host closes a new connection before it answers an echo test.</summary>
    private static async Task<bool> IsClosedByHostAsync(IPEndPoint endPoint)
    {
        try
        {
            await using var terminal = await TestTerminal.ConnectAsync(endPoint, signOn: false);
            await terminal.ExchangeAsync(terminal.NetworkManagement(TestTerminal.NextStan(), "301"));
            return false;
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            return true;
        }
    }
}
