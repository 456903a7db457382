using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.EndToEnd.Tests.Security;

/// <summary>
/// The violation flood, scripted over real sockets against the real host: hundreds of requests with a bad MAC, a stale
/// DE 7 or an unknown DE 41 as fast as the socket takes them, each of which used to cost a durable journal write and a
/// Warning line. Now the first Security:ViolationThreshold (10) of a window are journaled and logged one by one, the rest
/// are answered exactly the same at once and journaled as one aggregated row per terminal, logged once when throttling
/// starts and once when it ends, and every one is counted in socketatm.security.events; a genuine terminal is served as
/// ever meanwhile.
/// </summary>
public sealed class ViolationFloodTests
{
    private const int Flood = 200;
    private const int Threshold = 10;

    [Fact]
    public async Task A_flood_of_bad_MAC_withdrawals_is_answered_63_journaled_as_ten_rows_and_one_aggregated_row_and_logged_once()
    {
        var sink = new CapturingSink();
        await using var host = await RunningHost.StartWithServicesAsync(services => services.AddSingleton<ILogEventSink>(sink));
        using var events = new CounterTotals(host.Services.GetRequiredService<IMeterFactory>());
        await using var genuine = await TestTerminal.ConnectAsync(host.EndPoint);
        await using var tampered = await TestTerminal.ConnectAsync(host.EndPoint, "ATM00001"); // signs on MACed, then stops MACing

        var answers = await FloodAsync(tampered, stan => tampered.Withdrawal(40_000, stan));
        var served = Stopwatch.StartNew();
        var approval = await genuine.ExchangeAsync(genuine.Withdrawal(4_000, TestTerminal.NextStan()));
        served.Stop();

        Assert.All(answers, answer => Assert.Equal(ResponseCodes.SecurityViolation, answer.GetString(39)));
        Assert.All(answers, answer => Assert.False(answer.Has(64) || answer.Has(128))); // never MACed: no MAC oracle
        Assert.Equal(ResponseCodes.Approved, approval.GetString(39));
        Assert.True(served.Elapsed < TimeSpan.FromSeconds(5), $"the genuine withdrawal took {served.Elapsed}");
        var admin = host.Services.GetRequiredService<ILedgerAdmin>();
        var journal = await admin.ListJournalForTerminalAsync("ATM00001", 1_000, CancellationToken.None);
        Assert.Equal(Threshold, journal.Count(entry => entry.Disposition == JournalDisposition.Rejected)); // not 200 durable writes
        Assert.Equal(Flood, events.Count("socketatm.security.events/reason=mac"));
        Assert.Equal(Flood - Threshold, events.Count("socketatm.security.events/reason=mac/throttled=True"));
        Assert.Equal(Threshold, sink.Lines.Count(line => line.Contains("MAC missing or wrong", StringComparison.Ordinal)));
        Assert.Single(sink.Lines, line => line.StartsWith("Security violations of terminal \"ATM00001\" throttled", StringComparison.Ordinal));
        Assert.Single(sink.Lines, line => line.StartsWith("Security violations from \"127.0.0.1\" throttled", StringComparison.Ordinal));

        // The window (a minute) is still running: the host journals what it holds as it stops, so a restart loses none of it.
        await host.StopAsync();
        await host.StartAgainAsync();
        var reopened = await host.Services.GetRequiredService<ILedgerAdmin>().ListJournalForTerminalAsync("ATM00001", 1_000, CancellationToken.None);
        Assert.Equal(Threshold, reopened.Count(entry => entry.Disposition == JournalDisposition.Rejected));
        var aggregated = Assert.Single(reopened, entry => entry.Disposition == JournalDisposition.Throttled);
        Assert.Equal((TransactionKind.SecurityViolation, ResponseCodes.SecurityViolation, string.Empty), (aggregated.Kind, aggregated.ResponseCode, aggregated.MaskedPan));
        Assert.StartsWith($"{Flood - Threshold} violations (mac: {Flood - Threshold}, stale: 0) from 127.0.0.1 in 00:01:00 from ", aggregated.Detail, StringComparison.Ordinal);
        Assert.Single(sink.Lines, line => line.StartsWith("Throttling of terminal \"ATM00001\" ended", StringComparison.Ordinal));
        Assert.DoesNotContain(DemoCards.Active, sink.Everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flood_of_unMACed_sign_ons_naming_a_MAC_terminal_from_a_connection_that_never_signed_on_costs_ten_rows_not_one_each()
    {
        await using var host = await RunningHost.StartAsync();
        await using var stranger = await TestTerminal.ConnectAsync(host.EndPoint, "ATM00001", signOn: false);

        // Anyone who knows a DE 41 can send these: no sign-on is needed to be answered 63.
        var answers = await FloodAsync(stranger, stan => DemoRequests.UnsignedNetworkManagement("ATM00001", stan, "001", TestTerminal.TransmissionDateTime));

        Assert.All(answers, answer => Assert.Equal(ResponseCodes.SecurityViolation, answer.GetString(39)));
        Assert.All(answers, answer => Assert.False(answer.Has(64) || answer.Has(128)));
        var journal = await host.Services.GetRequiredService<ILedgerAdmin>().ListJournalForTerminalAsync("ATM00001", 1_000, CancellationToken.None);
        Assert.Equal(Threshold, journal.Count(entry => entry.Disposition == JournalDisposition.Rejected && entry.Kind == TransactionKind.NetworkManagement));
    }

    [Fact]
    public async Task A_flood_of_replays_with_a_stale_DE_7_moves_nothing_and_its_window_is_journaled_as_one_row_when_it_ends()
    {
        await using var host = await RunningHost.StartAsync(null, "--Security:ViolationWindow=00:00:05");
        await using var replayer = await TestTerminal.ConnectAsync(host.EndPoint);
        var dayOld = DateTime.UtcNow.AddDays(-1).ToString("MMddHHmmss", CultureInfo.InvariantCulture);

        var answers = await FloodAsync(replayer, stan => DemoRequests.Withdrawal(4_000, stan, terminalId: replayer.TerminalId, transmissionDateTime: dayOld), count: 50);
        var admin = host.Services.GetRequiredService<ILedgerAdmin>();
        var whileFlooded = await admin.ListJournalForTerminalAsync(replayer.TerminalId, 1_000, CancellationToken.None);

        Assert.All(answers, answer => Assert.Equal(ResponseCodes.SecurityViolation, answer.GetString(39)));
        Assert.All(answers, answer => Assert.False(answer.Has(37) || answer.Has(38) || answer.Has(54)));
        Assert.Equal(Threshold, whileFlooded.Count(entry => entry.Disposition == JournalDisposition.Stale));
        var aggregated = await WaitForAsync(async () =>
            (await admin.ListJournalForTerminalAsync(replayer.TerminalId, 1_000, CancellationToken.None)).SingleOrDefault(entry => entry.Disposition == JournalDisposition.Throttled));
        Assert.StartsWith("40 violations (mac: 0, stale: 40) from 127.0.0.1 in 00:00:05 from ", aggregated.Detail, StringComparison.Ordinal);
        Assert.Equal("2001840C0000001000002002840C000000100000", (await replayer.ExchangeAsync(replayer.Balance(TestTerminal.NextStan()))).GetString(54));
    }

    [Fact]
    public async Task A_flood_of_requests_for_an_unknown_terminal_is_answered_58_counted_and_logged_ten_times_and_once_throttled()
    {
        var sink = new CapturingSink();
        await using var host = await RunningHost.StartWithServicesAsync(services => services.AddSingleton<ILogEventSink>(sink));
        using var events = new CounterTotals(host.Services.GetRequiredService<IMeterFactory>());
        await using var stranger = await TestTerminal.ConnectAsync(host.EndPoint, "NOSUCH01", signOn: false);

        var answers = await FloodAsync(stranger, stan => stranger.Balance(stan));

        Assert.All(answers, answer => Assert.Equal(ResponseCodes.NotPermittedToTerminal, answer.GetString(39)));
        Assert.Equal(Flood, events.Count("socketatm.security.events/reason=unknown_terminal"));
        Assert.Equal(Flood - Threshold, events.Count("socketatm.security.events/reason=unknown_terminal/throttled=True"));
        Assert.Equal(Threshold, sink.Lines.Count(line => line.Contains("terminal unknown or disabled", StringComparison.Ordinal)));
        Assert.Single(sink.Lines, line => line.StartsWith("Security violations from \"127.0.0.1\" throttled", StringComparison.Ordinal));
    }

    /// <summary>Sends <paramref name="count"/> requests back to back, reading the answers as they come, and returns them.</summary>
    private static async Task<List<IsoMessage>> FloodAsync(TestTerminal terminal, Func<int, IsoMessage> request, int count = Flood)
    {
        var receiving = Task.Run(async () =>
        {
            var answers = new List<IsoMessage>(count);
            while (answers.Count < count)
            {
                answers.Add(await terminal.ReceiveAsync());
            }

            return answers;
        });
        for (var sent = 0; sent < count; sent++)
        {
            await terminal.SendAsync(request(TestTerminal.NextStan()));
        }

        return await receiving.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> found)
        where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (await found() is { } value)
            {
                return value;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "it never came");
            await Task.Delay(200);
        }
    }
}
