using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Routing;
using SocketAtm.Server.Tests.Transport;

namespace SocketAtm.Server.Tests.Upstream;

/// <summary>
/// Routing:Routes:N:StandIn:* binds with safe defaults (off), is checked at start one readable line per problem naming
/// the setting, and its PVK never comes from appsettings.json nor, off loopback, from a file others may read.
/// </summary>
public sealed class StandInOptionsTests
{
    private const string Zpk = LinkHarness.ZonePinKey;
    private const string Pvk = "7A3C5E9B1D2F4860A1B2C3D4E5F60718";
    private const string At = "--Routing:Routes:0:";

    private static readonly string[] Route =
    [
        At + "Name=bank-b", At + "Bins:0=541333", At + "Endpoints:0=127.0.0.1:8584", At + "AcquirerId=123456", At + "ZonePinKey=" + Zpk,
    ];

    private static readonly string[] Enabled = [.. Route, At + "StandIn:Enabled=true", At + "StandIn:MaxAmount=20000", At + "StandIn:DailyAmount=50000"];

    [Fact]
    public void Stand_in_is_off_by_default_with_three_a_day_and_pvki_1()
    {
        var standIn = Bind(Route).StandIn;

        Assert.False(standIn.Enabled);
        Assert.Equal(3, standIn.DailyCount);
        Assert.Equal(1, standIn.PinVerificationKeyIndex);
        Assert.False(standIn.HasPinVerificationKey);
        Assert.Null(standIn.LoadPinVerificationKey("Routing:Routes:0"));
    }

    [Fact]
    public void Enabled_stand_in_binds_its_limits_and_its_pvk()
    {
        var standIn = Bind([.. Enabled, At + "StandIn:DailyCount=5", At + "StandIn:PinVerificationKey=" + Pvk, At + "StandIn:PinVerificationKeyIndex=2"]).StandIn;

        Assert.True(standIn.Enabled);
        Assert.Equal(20_000, standIn.MaxAmount);
        Assert.Equal(50_000, standIn.DailyAmount);
        Assert.Equal(5, standIn.DailyCount);
        var key = standIn.LoadPinVerificationKey("Routing:Routes:0");
        Assert.NotNull(key);
        Assert.Equal(Convert.FromHexString(Pvk), key.Key);
        Assert.Equal(2, key.Index);
    }

    [Fact]
    public void The_pvk_may_come_from_a_file()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, Pvk + "\n");
        try
        {
            var standIn = Bind([.. Enabled, At + "StandIn:PinVerificationKeyFile=" + file]).StandIn;

            Assert.True(standIn.HasPinVerificationKey);
            Assert.Equal(Convert.FromHexString(Pvk), standIn.LoadPinVerificationKey("Routing:Routes:0")!.Key);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Enabled_without_a_pvk_is_valid()
    {
        Assert.True(Bind(Enabled).StandIn.Enabled);
    }

    [Theory]
    [InlineData("", "Routing:Routes:0:StandIn:MaxAmount must be between 1 and 999999999999 (minor units) when Routing:Routes:0:StandIn:Enabled is true")]
    [InlineData("MaxAmount=0", "Routing:Routes:0:StandIn:MaxAmount must be between 1 and 999999999999")]
    [InlineData("MaxAmount=1000000000000", "Routing:Routes:0:StandIn:MaxAmount must be between 1 and 999999999999")]
    [InlineData("DailyAmount=19999", "Routing:Routes:0:StandIn:DailyAmount must be at least Routing:Routes:0:StandIn:MaxAmount")]
    [InlineData("DailyAmount=1000000000000", "Routing:Routes:0:StandIn:DailyAmount must be at least Routing:Routes:0:StandIn:MaxAmount and at most 999999999999")]
    [InlineData("DailyCount=0", "Routing:Routes:0:StandIn:DailyCount must be between 1 and 100")]
    [InlineData("DailyCount=101", "Routing:Routes:0:StandIn:DailyCount must be between 1 and 100")]
    [InlineData("PinVerificationKeyIndex=7", "Routing:Routes:0:StandIn:PinVerificationKeyIndex must be between 0 and 6")]
    [InlineData("PinVerificationKeyIndex=-1", "Routing:Routes:0:StandIn:PinVerificationKeyIndex must be between 0 and 6")]
    [InlineData("PinVerificationKey=0123", "Routing:Routes:0:StandIn:PinVerificationKey must be 32 hex digits (a double-length key).")]
    [InlineData("PinVerificationKeyFile=/nonexistent/pvk.key", "Routing:Routes:0:StandIn:PinVerificationKeyFile '/nonexistent/pvk.key' cannot be read")]
    [InlineData("PinVerificationKey=" + Zpk, "Routing:Routes:0:StandIn:PinVerificationKey is the same key as Routing:Routes:0:ZonePinKey")]
    public void A_bad_stand_in_setting_fails_with_one_readable_line_naming_it(string setting, string expected)
    {
        var name = setting.Split('=')[0];
        string[] args = setting.Length == 0
            ? [.. Route, At + "StandIn:Enabled=true"]
            : [.. Enabled.Where(arg => !arg.StartsWith(At + "StandIn:" + name + "=", StringComparison.Ordinal)), At + "StandIn:" + setting];

        var message = Failure(args);

        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain(Zpk, message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_pvk_same_as_the_zone_mac_key_is_refused()
    {
        var mac = "00112233445566778899AABBCCDDEEFF";

        var message = Failure([.. Route, At + "ZoneMacKey=" + mac, At + "StandIn:PinVerificationKey=" + mac]);

        Assert.Contains("Routing:Routes:0:StandIn:PinVerificationKey is the same key as Routing:Routes:0:ZoneMacKey", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disabled_stand_in_needs_no_limits()
    {
        Assert.False(Bind([.. Route, At + "StandIn:MaxAmount=0", At + "StandIn:DailyAmount=0"]).StandIn.Enabled);
    }

    [Fact]
    public void A_pvk_written_in_a_json_settings_file_is_refused()
    {
        var settings = Path.GetTempFileName() + ".json";
        File.WriteAllText(settings, $$"""{ "Routing": { "Routes": [ { "StandIn": { "PinVerificationKey": "{{Pvk}}" } } ] } }""");
        try
        {
            using var host = ServerHost.Build(["--data", Path.GetTempPath(), .. Enabled], builder => builder.Configuration.AddJsonFile(settings));

            var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<RoutingOptions>>().Value);

            Assert.True(StartupFailure.TryDescribe(failure, out var message));
            Assert.Contains(
                "Routing:Routes:0:StandIn:PinVerificationKey must not be written in appsettings.json: give it through the environment (SOCKETATM_Routing__Routes__0__StandIn__PinVerificationKey) or a file (Routing:Routes:0:StandIn:PinVerificationKeyFile).",
                message,
                StringComparison.Ordinal);
            Assert.DoesNotContain(Pvk, message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            File.Delete(settings);
        }
    }

    [Theory]
    [InlineData("ZonePinKeyFile", true)]
    [InlineData("ZonePinKeyFile", false)]
    [InlineData("ZoneMacKeyFile", true)]
    public void Off_loopback_a_zone_key_file_others_may_read_is_refused_like_the_pvk_file(string setting, bool openToOthers)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var file = Path.GetTempFileName();
        File.WriteAllText(file, setting == "ZoneMacKeyFile" ? Pvk : Zpk);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | (openToOthers ? UnixFileMode.OtherRead : UnixFileMode.None));
        try
        {
            // The ZPK from its file: the route's own ZonePinKey left out.
            string[] route = [.. Route.Where(arg => !arg.StartsWith(At + "ZonePinKey=", StringComparison.Ordinal)), .. setting == "ZonePinKeyFile" ? Array.Empty<string>() : [At + "ZonePinKey=" + Zpk]];
            string[] args = ["--data", Path.GetTempPath(), "--address", "0.0.0.0", "--Listener:AllowPlaintext=true", .. route, At + setting + "=" + file];
            using var host = ServerHost.Build(args);

            var read = () => host.Services.GetRequiredService<IOptions<RoutingOptions>>().Value;

            if (!openToOthers)
            {
                Assert.Equal(file, read().Routes.Single().ZonePinKeyFile);
                return;
            }

            var failure = Assert.Throws<OptionsValidationException>(read);
            Assert.True(StartupFailure.TryDescribe(failure, out var message));
            Assert.Contains($"Routing:Routes:0:{setting} '{file}' is open to group or others (mode 604)", message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("0.0.0.0", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "open to group or others (mode 640)")]
    [InlineData("0.0.0.0", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, "open to group or others (mode 604)")]
    [InlineData("0.0.0.0", UnixFileMode.UserRead | UnixFileMode.UserWrite, null)]
    [InlineData("127.0.0.1", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, null)]
    public void Off_loopback_a_pvk_file_others_may_read_is_refused(string address, UnixFileMode mode, string? expected)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var file = Path.GetTempFileName();
        File.WriteAllText(file, Pvk);
        File.SetUnixFileMode(file, mode);
        try
        {
            string[] args = ["--data", Path.GetTempPath(), "--address", address, "--Listener:AllowPlaintext=true", .. Enabled, At + "StandIn:PinVerificationKeyFile=" + file];
            using var host = ServerHost.Build(args);

            var read = () => host.Services.GetRequiredService<IOptions<RoutingOptions>>().Value;

            if (expected is null)
            {
                Assert.True(read().Routes.Single().StandIn.HasPinVerificationKey);
                return;
            }

            var failure = Assert.Throws<OptionsValidationException>(read);
            Assert.True(StartupFailure.TryDescribe(failure, out var message));
            Assert.Contains($"Routing:Routes:0:StandIn:PinVerificationKeyFile '{file}' is {expected}", message, StringComparison.Ordinal);
            Assert.Contains("chmod 600", message, StringComparison.Ordinal);
            Assert.DoesNotContain(Pvk, message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(true, false, 1)]
    [InlineData(true, true, 0)]
    [InlineData(false, false, 0)]
    public async Task Enabled_without_a_pvk_is_warned_about_at_start_naming_the_route(bool enabled, bool withKey, int warnings)
    {
        var route = new RouteOptions { Name = "bank-b", StandIn = { Enabled = enabled, PinVerificationKey = withKey ? Pvk : null } };
        var routing = new RoutingOptions { Routes = [new RouteOptions { Name = "bank-a" }, route] };
        using var logs = new RecordingLoggerProvider(Pvk);
        using var factory = logs.CreateFactory();

        await new StandInStartupWarnings(Options.Create(routing), factory.CreateLogger<StandInStartupWarnings>()).StartAsync(CancellationToken.None);

        Assert.Equal(warnings, logs.CountOf(5010));
        Assert.Empty(logs.Leaks);
        if (warnings > 0)
        {
            var line = Assert.Single(logs.Recent);
            Assert.Contains("Route bank-b: Routing:Routes:1:StandIn:Enabled is true", line, StringComparison.Ordinal);
            Assert.Contains("declined 91", line, StringComparison.Ordinal);
        }
    }

    private static RouteOptions Bind(string[] args)
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), .. args]);
        return host.Services.GetRequiredService<IOptions<RoutingOptions>>().Value.Routes.Single();
    }

    private static string Failure(string[] args)
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), .. args]);
        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<RoutingOptions>>().Value);
        Assert.True(StartupFailure.TryDescribe(failure, out var message));
        return message;
    }
}
