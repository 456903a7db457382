using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Tests.Hosting;

/// <summary>The violation throttle's settings (README's Configuration): safe defaults, bound from configuration, refused in one line when out of range.</summary>
public sealed class ViolationThrottleSettingsTests
{
    [Theory]
    [InlineData("--Security:ViolationThreshold", "0", "Security:ViolationThreshold must be between 1 and 10000.")]
    [InlineData("--Security:ViolationWindow", "00:00:00", "Security:ViolationWindow must be between 00:00:01 and 1.00:00:00")]
    [InlineData("--Security:ViolationWindow", "2.00:00:00", "Security:ViolationWindow must be between 00:00:01 and 1.00:00:00")]
    public void A_bad_violation_throttle_setting_fails_validation_with_one_readable_line(string key, string value, string expected)
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), key, value]);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<ViolationThrottleOptions>>().Value);

        Assert.True(StartupFailure.TryDescribe(failure, out var message));
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void Defaults_are_ten_violations_a_minute_and_settings_reach_the_options()
    {
        using var defaults = ServerHost.Build(["--data", Path.GetTempPath()]);
        using var configured = ServerHost.Build(["--data", Path.GetTempPath(), "--Security:ViolationThreshold", "3", "--Security:ViolationWindow", "00:10:00"]);

        var standard = defaults.Services.GetRequiredService<IOptions<ViolationThrottleOptions>>().Value;
        var set = configured.Services.GetRequiredService<IOptions<ViolationThrottleOptions>>().Value;

        Assert.Equal((10, TimeSpan.FromMinutes(1)), (standard.ViolationThreshold, standard.ViolationWindow));
        Assert.Equal((3, TimeSpan.FromMinutes(10)), (set.ViolationThreshold, set.ViolationWindow));
    }
}
