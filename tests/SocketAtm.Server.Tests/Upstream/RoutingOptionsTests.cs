using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Routing;

namespace SocketAtm.Server.Tests.Upstream;

/// <summary>Routing:Routes:N:* is checked at start, one readable line naming the setting; keys never from appsettings.json.</summary>
public class RoutingOptionsTests
{
    private const string Zpk = LinkHarness.ZonePinKey;

    private static readonly string[] Valid =
    [
        "--Routing:Routes:0:Name=bank-b", "--Routing:Routes:0:Bins:0=541333", "--Routing:Routes:0:Endpoints:0=127.0.0.1:8584",
        "--Routing:Routes:0:AcquirerId=123456", "--Routing:Routes:0:ZonePinKey=" + Zpk,
    ];

    [Theory]
    [InlineData("Name=bad name", "Routing:Routes:0:Name 'bad name' must be 1–40 letters")]
    [InlineData("Bins:0=54x", "Routing:Routes:0:Bins entry '54x' must be 1–11 digits.")]
    [InlineData("Bins:0=541333000000", "Routing:Routes:0:Bins entry '541333000000' must be 1–11 digits.")]
    [InlineData("Endpoints:0=nohost", "Routing:Routes:0:Endpoints entry 'nohost' is not host:port")]
    [InlineData("Endpoints:0=127.0.0.1:70000", "Routing:Routes:0:Endpoints entry '127.0.0.1:70000' is not host:port")]
    [InlineData("Connections=0", "Routing:Routes:0:Connections must be between 1 and 64.")]
    [InlineData("MaxInFlight=0", "Routing:Routes:0:MaxInFlight must be between 1 and 100000.")]
    [InlineData("Timeout=00:00:00", "Routing:Routes:0:Timeout must be a positive time span")]
    [InlineData("EchoInterval=-00:00:01", "Routing:Routes:0:EchoInterval must be a positive time span")]
    [InlineData("ReconnectDelay=00:01:00", "Routing:Routes:0:MaxReconnectDelay must not be shorter than Routing:Routes:0:ReconnectDelay.")]
    [InlineData("BreakerFailures=0", "Routing:Routes:0:BreakerFailures must be between 1 and 1000.")]
    [InlineData("BreakerWindow=00:00:00", "Routing:Routes:0:BreakerWindow must be a positive time span of at most 01:00:00 (e.g. 00:00:30).")]
    [InlineData("BreakerOpenFor=02:00:00", "Routing:Routes:0:BreakerOpenFor must be a positive time span of at most 01:00:00 (e.g. 00:00:15).")]
    [InlineData("AcquirerId=12AB", "Routing:Routes:0:AcquirerId '12AB' must be 1–11 digits")]
    [InlineData("ZonePinKey=0123", "Routing:Routes:0:ZonePinKey must be 32 hex digits (a double-length key).")]
    [InlineData("ZonePinKey=", "Routing:Routes:0:ZonePinKey is not set")]
    [InlineData("ZoneMacKey=XYZ", "Routing:Routes:0:ZoneMacKey must be 32 hex digits")]
    [InlineData("ZoneMacKey=" + Zpk, "Routing:Routes:0:ZoneMacKey is the same key as Routing:Routes:0:ZonePinKey")]
    [InlineData("ZonePinKeyFile=/nonexistent/zpk.key", "Routing:Routes:0:ZonePinKeyFile '/nonexistent/zpk.key' cannot be read")]
    [InlineData("Tls:Enabled=true", "Routing:Routes:0:Tls:Enabled is true but Routing:Routes:0:Tls:AuthorityBundle is not set")]
    [InlineData("Tls:AuthorityBundle=/nonexistent/ca.pem", "Routing:Routes:0:Tls:AuthorityBundle '/nonexistent/ca.pem' does not exist.")]
    public void A_bad_route_setting_fails_with_one_readable_line_naming_it(string setting, string expected)
    {
        var args = Valid.Where(arg => !arg.StartsWith("--Routing:Routes:0:" + setting.Split('=')[0] + "=", StringComparison.Ordinal)).Append("--Routing:Routes:0:" + setting);
        if (setting.StartsWith("ZonePinKeyFile", StringComparison.Ordinal) || setting == "ZonePinKey=")
        {
            args = args.Where(arg => !arg.Contains(":ZonePinKey=" + Zpk, StringComparison.Ordinal));
        }

        var message = Failure([.. args]);

        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void A_prefix_in_two_routes_is_refused()
    {
        var message = Failure([.. Valid,
            "--Routing:Routes:1:Name=bank-c", "--Routing:Routes:1:Bins:0=541333", "--Routing:Routes:1:Endpoints:0=127.0.0.1:8585",
            "--Routing:Routes:1:AcquirerId=123456", "--Routing:Routes:1:ZonePinKey=" + Zpk]);

        Assert.Contains("Routing:Routes:1:Bins entry '541333' is already a BIN of route 'bank-b'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_route_with_its_key_in_a_file_binds_with_the_defaults()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, Zpk + "\n");
        try
        {
            using var host = ServerHost.Build(["--data", Path.GetTempPath(), .. Valid.Where(arg => !arg.Contains("ZonePinKey", StringComparison.Ordinal)), "--Routing:Routes:0:ZonePinKeyFile=" + file]);

            var route = host.Services.GetRequiredService<IOptions<RoutingOptions>>().Value.Routes.Single();

            Assert.Equal(RouteOptions.DefaultConnections, route.Connections);
            Assert.Equal(TimeSpan.FromSeconds(8), route.Timeout);
            Assert.Equal(256, route.MaxInFlight);
            Assert.Equal(TimeSpan.FromSeconds(30), route.EchoInterval);
            Assert.Equal(5, route.BreakerFailures);
            Assert.Equal(TimeSpan.FromSeconds(30), route.BreakerWindow);
            Assert.Equal(TimeSpan.FromSeconds(15), route.BreakerOpenFor);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("ZonePinKey")]
    [InlineData("ZoneMacKey")]
    public void A_zone_key_written_in_a_json_settings_file_is_refused(string key)
    {
        var settings = Path.GetTempFileName() + ".json";
        File.WriteAllText(settings, $$"""{ "Routing": { "Routes": [ { "{{key}}": "8899AABBCCDDEEFF0011223344556677" } ] } }""");
        try
        {
            using var host = ServerHost.Build(["--data", Path.GetTempPath(), .. Valid.Where(arg => !arg.Contains(key, StringComparison.Ordinal))], builder => builder.Configuration.AddJsonFile(settings));

            var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<RoutingOptions>>().Value);

            Assert.True(StartupFailure.TryDescribe(failure, out var message));
            Assert.Contains($"Routing:Routes:0:{key} must not be written in appsettings.json", message, StringComparison.Ordinal);
            Assert.DoesNotContain("8899AABB", message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(settings);
        }
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("0.0.0.0", false)]
    public void The_demo_route_exists_only_on_loopback_without_configured_routes(string address, bool demo)
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), "--address", address, "--Listener:AllowPlaintext=true"]);

        var routing = host.Services.GetRequiredService<IOptions<RoutingOptions>>().Value;

        Assert.Equal(demo, routing.IsDemo);
        Assert.Equal(demo ? 1 : 0, routing.Routes.Count);
        if (demo)
        {
            var route = routing.Routes[0];
            Assert.Equal(DemoRoute.Name, route.Name);
            Assert.Equal(["541333"], route.Bins);
            Assert.Equal(["127.0.0.1:8584"], route.Endpoints);
            Assert.Equal("1F2E3D4C5B6A79880918273645546372", route.ZonePinKey);
        }
    }

    [Fact]
    public void A_configured_route_replaces_the_demo_route_on_loopback()
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), .. Valid]);

        var routing = host.Services.GetRequiredService<IOptions<RoutingOptions>>().Value;

        Assert.False(routing.IsDemo);
        Assert.Equal("bank-b", routing.Routes.Single().Name);
    }

    private static string Failure(string[] args)
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), .. args]);
        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<RoutingOptions>>().Value);
        Assert.True(StartupFailure.TryDescribe(failure, out var message));
        return message;
    }
}
