using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Serilog.Core;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Operations;
using SocketAtm.Testing;

namespace SocketAtm.EndToEnd.Tests.Operations;

/// <summary>The host's HTTP side, on a real host with its ops port 0: health, readiness, the Prometheus scrape and the operator token.</summary>
public sealed class OperationsEndpointTests
{
    private const string Token = "an-operator-token-0123456789abcdef";

    [Fact]
    public async Task Healthz_is_healthy_and_readyz_names_every_check_a_route_down_only_degrading_it()
    {
        await using var host = await RunningHost.StartAsync();
        using var http = Client(host);

        var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal((HttpStatusCode.OK, "Healthy"), (health.StatusCode, await health.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        var checks = report.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("ledger").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("terminal_listener").GetProperty("status").GetString());

        // The demo route's issuer simulator is not running: its link is down, which degrades the host but keeps it ready.
        var routes = checks.GetProperty("routes");
        Assert.Equal("Degraded", routes.GetProperty("status").GetString());
        Assert.StartsWith("down: 0 of 2 connections signed on", routes.GetProperty("data").GetProperty("demo-issuer").GetString(), StringComparison.Ordinal);
        Assert.Equal("Degraded", report.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Once_the_host_stops_the_ledger_and_the_listener_are_no_longer_ready()
    {
        await using var host = await RunningHost.StartAsync();
        var checks = host.Services.GetRequiredService<HealthCheckService>();
        var ready = await checks.CheckHealthAsync(check => check.Tags.Contains(OperationsServer.ReadinessTag));
        Assert.Equal(HealthStatus.Healthy, ready.Entries["ledger"].Status);

        await host.StopGracefullyAsync();
        var stopped = await checks.CheckHealthAsync(check => check.Tags.Contains(OperationsServer.ReadinessTag));

        Assert.Equal(HealthStatus.Unhealthy, stopped.Status);
        Assert.Equal(HealthStatus.Unhealthy, stopped.Entries["ledger"].Status);
        Assert.Equal(HealthStatus.Unhealthy, stopped.Entries["terminal_listener"].Status);
    }

    [Fact]
    public async Task Metrics_scrape_is_prometheus_text_with_the_host_instruments_labelled_and_the_runtime_metrics()
    {
        await using var host = await RunningHost.StartAsync();
        await using (var atm = await TestTerminal.ConnectAsync(host.EndPoint))
        {
            Assert.Equal("00", (await atm.ExchangeAsync(atm.Withdrawal(4000, TestTerminal.NextStan()))).GetString(39));
        }

        using var http = Client(host);
        var scrape = await http.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        var metrics = PrometheusText.Parse(await scrape.Content.ReadAsStringAsync());
        Assert.Equal("counter", metrics.Types["socketatm_messages_total"]);
        Assert.Contains(metrics.Named("socketatm_messages_total"), sample =>
            sample.Labels.GetValueOrDefault("mti") == "200" && sample.Labels.GetValueOrDefault("response_code") == "00" && sample.Value >= 1);
        Assert.Equal("histogram", metrics.Types["socketatm_processing_duration_milliseconds"]);
        Assert.Contains(metrics.Named("socketatm_processing_duration_milliseconds_count"), sample => sample.Labels.GetValueOrDefault("mti") == "200" && sample.Value >= 1);
        Assert.Contains(metrics.Named("dotnet_gc_collections_total"), sample => sample.Labels.ContainsKey("gc_heap_generation"));
    }

    [Fact]
    public async Task With_a_token_metrics_needs_the_bearer_token_and_the_probes_stay_open()
    {
        await using var host = await RunningHost.StartAsync(null, "--Operations:Token=" + Token);
        using var http = Client(host);

        var without = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var wrong = await SendAsync(http, "/metrics", "Bearer " + Token[..^1] + "X");
        var basic = await SendAsync(http, "/metrics", "Basic " + Token);
        var with = await SendAsync(http, "/metrics", "Bearer " + Token);
        var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal("Bearer", without.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        Assert.Contains("# TYPE", await with.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (health.StatusCode, ready.StatusCode));
    }

    [Fact]
    public async Task The_start_up_log_names_the_bound_operations_port()
    {
        var sink = new CapturingSink();
        await using var host = await RunningHost.StartWithServicesAsync(
            services => services.AddSingleton<ILogEventSink>(sink), "--Serilog:MinimumLevel:Override:SocketAtm.Server.Operations=Information");

        var bound = host.Services.GetRequiredService<OperationsServer>().BoundAddress!;

        Assert.NotEqual(0, bound.Port);
        // The sink renders string properties quoted; the console (outputTemplate {Message:lj}) does not.
        Assert.Contains(sink.Lines, line => line.Replace("\"", "", StringComparison.Ordinal).StartsWith($"Operations on http://127.0.0.1:{bound.Port} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_operations_port_in_use_refuses_the_start_with_one_line_naming_the_switch()
    {
        await using var first = await RunningHost.StartAsync();
        var port = first.Services.GetRequiredService<OperationsServer>().BoundAddress!.Port;

        var data = Path.Combine(Path.GetTempPath(), "socketatm-e2e-" + Guid.NewGuid().ToString("N"));
        using var second = ServerHost.Build(["--port", "0", "--data", data, "--Serilog:MinimumLevel:Default=Fatal", "--ops-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => second.StartAsync());
        await second.StopAsync(); // What did start (the ledger, the terminal listener) closes again.
        Directory.Delete(data, recursive: true);

        Assert.True(StartupFailure.TryDescribe(failure, out var message), failure.ToString());
        Assert.Contains("set --ops-port", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public async Task A_probe_of_a_degraded_host_writes_no_log_line_each_time()
    {
        // The demo route's issuer is not running, so every probe finds the host Degraded: a balancer probing every second
        // must not add a warning a second (the route's link logs its own state changes).
        var sink = new CapturingSink();
        await using var host = await RunningHost.StartWithServicesAsync(services => services.AddSingleton<ILogEventSink>(sink));
        using var http = Client(host);
        for (var probe = 0; probe < 3; probe++)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        }

        Assert.DoesNotContain(sink.Lines, line => line.Contains("Health check", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_paths_are_not_found()
    {
        await using var host = await RunningHost.StartAsync();
        using var http = Client(host);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/no-such-page", UriKind.Relative))).StatusCode);
    }

    private static HttpClient Client(RunningHost host) =>
        new() { BaseAddress = host.Services.GetRequiredService<OperationsServer>().BoundAddress, Timeout = TimeSpan.FromSeconds(10) };

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        return http.SendAsync(request);
    }
}
