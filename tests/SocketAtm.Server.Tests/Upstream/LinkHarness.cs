using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Routing;
using SocketAtm.Server.Upstream;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Upstream;

/// <summary>One route of <see cref="IssuerRoutes"/> started against fake issuers, with short timeouts, its metrics and the conditions tests wait on.</summary>
internal sealed class LinkHarness : IAsyncDisposable
{
    public const string ZonePinKey = "0F1E2D3C4B5A69788796A5B4C3D2E1F0";
    public const string TerminalId = "ATM00001";
    public const string AcquirerId = "123456";

    private readonly ServiceProvider _services;

    private LinkHarness(IssuerRoutes routes, ServiceProvider services, CounterTotals counters, string statusFile)
    {
        Routes = routes;
        _services = services;
        Counters = counters;
        StatusFile = statusFile;
    }

    public IssuerRoutes Routes { get; }

    public IssuerRoute Route => Routes.Routes[0];

    public CounterTotals Counters { get; }

    public string StatusFile { get; }

    public RouteLinkStatus Status => Route.LinkState.Snapshot();

    public static RouteOptions Options(params string[] endpoints) => new()
    {
        Name = "test-issuer",
        Bins = ["541333"],
        Endpoints = [.. endpoints],
        Connections = 1,
        Timeout = TimeSpan.FromSeconds(3), // generous: tests that want a time-out set their own, and an answer must not miss it on a loaded machine
        AcquirerId = AcquirerId,
        ZonePinKey = ZonePinKey,
        EchoInterval = TimeSpan.FromMinutes(5),
        ReconnectDelay = TimeSpan.FromMilliseconds(50),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
    };

    public static async Task<LinkHarness> StartAsync(RouteOptions route, bool waitForSignOn = true)
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var counters = new CounterTotals(meters);
        var statusFile = Path.Combine(Path.GetTempPath(), "socketatm-link-" + Guid.NewGuid().ToString("N"), LinkStatusFile.FileName);
        var routes = new IssuerRoutes(
            new RoutingOptions { Routes = [route] }, 8192, TimeProvider.System, new UpstreamMetrics(meters), NullLoggerFactory.Instance, statusFile);
        await routes.StartAsync(CancellationToken.None);
        var harness = new LinkHarness(routes, services, counters, statusFile);
        if (waitForSignOn)
        {
            await harness.WaitUntilAsync(() => harness.Status.SignedOn == route.Connections, "every connection signed on");
        }

        return harness;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing with <paramref name="what"/> after 10 seconds.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                Assert.Fail("timed out waiting until " + what + "; link: " + Status);
            }

            await Task.Delay(5);
        }
    }

    /// <summary>An 0200 withdrawal as the lead's handler would send it upstream (without PIN block).</summary>
    public IsoMessage Request(long amount = 10_000, string rrn = "000000000001", string pan = "5413330000000011")
    {
        var request = new IsoMessage { Mti = MessageTypes.FinancialRequest };
        request.Set(DataElements.PrimaryAccountNumber, pan);
        request.Set(DataElements.ProcessingCode, "010000");
        request.SetNumber(DataElements.Amount, amount);
        request.Set(DataElements.TransmissionDateTime, UpstreamTime.TransmissionDateTime(DateTimeOffset.UtcNow));
        request.SetNumber(DataElements.Stan, Route.NextStan());
        request.Set(DataElements.AcquirerId, AcquirerId);
        request.Set(DataElements.RetrievalReference, rrn);
        request.Set(DataElements.TerminalId, TerminalId);
        request.Set(DataElements.Currency, "840");
        return request;
    }

    public Task<UpstreamReply> ExchangeAsync(IsoMessage request) => Route.ExchangeAsync(request, CancellationToken.None).AsTask();

    public async ValueTask DisposeAsync()
    {
        await Routes.StopAsync(CancellationToken.None);
        await Routes.DisposeAsync();
        Counters.Dispose();
        await _services.DisposeAsync();
        try
        {
            Directory.Delete(Path.GetDirectoryName(StatusFile)!, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
