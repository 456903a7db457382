using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SocketAtm.Server.Acquiring;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Routing;
using SocketAtm.Server.Tests.Ledger;
using SocketAtm.Server.Tests.Transport;
using SocketAtm.Server.Tests.Upstream;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Tests.Acquiring;

/// <summary>
/// The store-and-forward worker's rounds against a real ledger and a route that cannot send (no connection signed on):
/// a try that never left the host is not counted, the entry stays queued for the next round, and one owed past the
/// route's SafExpiry is alerted once (event 6123) — not at every round — while still being tried.
/// </summary>
public sealed class SafSenderTests : IAsyncDisposable
{
    private readonly LedgerTestContext _context = new();
    private readonly RecordingLoggerProvider _logs = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    [Fact]
    public async Task An_entry_that_cannot_be_sent_stays_queued_untried_and_one_past_its_expiry_is_alerted_once()
    {
        var ledger = await _context.OpenAsync();
        var options = LinkHarness.Options("127.0.0.1:9");
        options.SafExpiry = TimeSpan.FromHours(1);
        var meters = _services.GetRequiredService<IMeterFactory>();
        await using var routes = new IssuerRoutes(
            new RoutingOptions { Routes = [options] }, 8192, _context.Time, new UpstreamMetrics(meters), _logs.CreateFactory(), statusFile: null);
        using var signal = new ReversalSignal();
        var sender = new SafSender(routes, () => ledger, signal, new SafMetrics(meters), _context.Time, _logs.CreateFactory().CreateLogger<SafSender>());
        var key = _context.NextKey();
        await ledger.ExecuteAsync(
            _context.Withdrawal("5413330000000019", "1234", 2_000, key) with { Upstream = new ForwardingIntent(options.Name!, 1, "0315100000") }, CancellationToken.None);
        await ledger.GiveUpAsync(key, CancellationToken.None);

        await sender.RunRoundAsync(CancellationToken.None);
        var afterFirst = Assert.Single(await ledger.ListSafAsync(null, 10, CancellationToken.None));
        _context.Time.Advance(TimeSpan.FromHours(2));
        await sender.RunRoundAsync(CancellationToken.None);
        _context.Time.Advance(TimeSpan.FromSeconds(5));
        await sender.RunRoundAsync(CancellationToken.None);
        var afterExpiry = Assert.Single(await ledger.ListSafAsync(null, 10, CancellationToken.None));

        Assert.Equal(0, afterFirst.Saf.Attempts);
        Assert.Contains("NotSent", afterFirst.Saf.LastResult, StringComparison.Ordinal);
        Assert.Equal(0, afterExpiry.Saf.Attempts);
        Assert.Equal(1, _logs.CountOf(6123));
        Assert.Equal(3, _logs.CountOf(6121));
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        await _services.DisposeAsync();
        _logs.Dispose();
    }
}
