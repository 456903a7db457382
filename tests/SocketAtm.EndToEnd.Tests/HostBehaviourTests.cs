using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog.Core;
using Serilog.Events;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Hosting;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>How the host behaves as a service: start-up failures, connection limits, log hygiene, graceful stop.</summary>
public sealed class HostBehaviourTests
{
    [Fact]
    public async Task An_unusable_data_directory_stops_the_start_with_one_readable_line()
    {
        var blocker = Path.GetTempFileName(); // a file where the directory should be
        try
        {
            var sink = new CapturingSink();
            using var host = ServerHost.Build(
                ["--port", "0", "--ops-port", "0", "--data", Path.Combine(blocker, "data")], builder => builder.Services.AddSingleton<ILogEventSink>(sink));

            var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

            Assert.True(StartupFailure.TryDescribe(failure, out var message), failure.ToString());
            Assert.DoesNotContain('\n', message);
            Assert.Contains(blocker, message, StringComparison.Ordinal);
            Assert.DoesNotContain(sink.Lines, line => line.Contains("Hosting failed to start", StringComparison.Ordinal)); // no stack trace before the one line
            Assert.DoesNotContain(sink.Lines, line => line.Contains("   at ", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Fact]
    public async Task Connections_beyond_the_cap_are_closed_at_accept_and_the_others_keep_working()
    {
        await using var host = await RunningHost.StartAsync(null, "--Listener:MaxConnections=2");
        await using var first = await TestTerminal.ConnectAsync(host.EndPoint);
        await using var second = await TestTerminal.ConnectAsync(host.EndPoint);

        using var third = new TcpClient();
        var buffer = new byte[16];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int read;
        try
        {
            await third.ConnectAsync(host.EndPoint);
            read = await third.GetStream().ReadAsync(buffer, timeout.Token);
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            read = 0; // reset by the host: closed just the same
        }

        Assert.Equal(0, read);
        Assert.Equal("00", (await first.ExchangeAsync(first.NetworkManagement(TestTerminal.NextStan(), "301"))).GetString(39));
    }

    [Fact]
    public async Task No_log_line_at_any_level_holds_a_full_pan_track_2_pin_block_or_key()
    {
        var sink = new CapturingSink();
        string[] args = ["--port", "0", "--ops-port", "0", "--data", Path.Combine(Path.GetTempPath(), "socketatm-e2e-" + Guid.NewGuid().ToString("N")), "--Serilog:MinimumLevel:Default=Verbose", "--Serilog:MinimumLevel:Override:Microsoft=Verbose"];
        using var host = ServerHost.Build(args, builder => builder.Services.AddSingleton<ILogEventSink>(sink));
        await host.StartAsync();
        var endPoint = host.Services.GetRequiredService<SocketAtm.Server.Transport.TerminalListener>().BoundEndPoint!;
        var pinBlock = new byte[8];
        await using (var atm = await TestTerminal.ConnectAsync(endPoint, "ATM00001"))
        {
            var withdrawal = atm.Withdrawal(4000, TestTerminal.NextStan());
            // The demo card's genuine track 2 (its CVV verifies: the request is approved), with the other separator.
            withdrawal.Set(35, DemoCards.ActiveTrack2.Replace('=', 'D'));
            withdrawal.Get(52).CopyTo(pinBlock);
            RetailMac.Sign(withdrawal, Convert.FromHexString("1146ADC3F56CFB56FF054B0FEA03B0EE"));
            Assert.Equal("00", (await atm.ExchangeAsync(withdrawal)).GetString(39));
            var malformed = atm.Withdrawal(4000, TestTerminal.NextStan());
            malformed.Set(35, TestTerminal.DemoPan + "D2812");
            await atm.ExchangeAsync(malformed);
            await atm.ExchangeAsync(atm.NetworkManagement(TestTerminal.NextStan(), "161"));
        }

        await host.StopAsync();

        var everything = string.Join("\n", sink.Lines);
        Assert.Contains("476173******0119", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(TestTerminal.DemoPan, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("D2812", everything, StringComparison.Ordinal);
        foreach (var secret in new[] { Convert.ToHexString(pinBlock), "F72E4C31320DC7AA66EAEAB7FAA58FAD", "A13F766224F292F868D54D2CFAB1683A", "1146ADC3F56CFB56FF054B0FEA03B0EE", "59FC8F97BFDFF32A1121A96AB0E1A0AD", DemoKeys.CardVerificationKeyHex, "4931734" })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Graceful_stop_answers_what_is_in_flight_then_closes_connections()
    {
        await using var host = await RunningHost.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);
        var stans = Enumerable.Range(0, 10).Select(_ => TestTerminal.NextStan()).ToArray();
        foreach (var stan in stans)
        {
            await atm.SendAsync(atm.Withdrawal(100, stan));
        }

        // Wait for the first answer so the host has the pipeline in hand, then stop it.
        var answers = new List<SocketAtm.Protocol.Iso8583.IsoMessage> { await atm.ReceiveAsync() };
        var stopping = host.StopAsync();
        try
        {
            while (answers.Count < stans.Length)
            {
                answers.Add(await atm.ReceiveAsync());
            }
        }
        catch (IOException)
        {
            // Closed by the stop: requests the session had not read yet were never received, so never applied.
        }

        await stopping;

        // Whatever the host answered during the drain was fully processed: approvals, not 96s from a closed ledger.
        Assert.All(answers, answer => Assert.Equal("00", answer.GetString(39)));
        await Assert.ThrowsAsync<IOException>(() => atm.ReceiveAsync());
    }
}
