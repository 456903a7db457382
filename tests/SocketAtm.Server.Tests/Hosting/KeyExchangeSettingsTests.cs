using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Handlers;
using SocketAtm.Server.Hosting;

namespace SocketAtm.Server.Tests.Hosting;

/// <summary>The key exchange rate settings (README's Configuration): safe defaults, bound from configuration, refused in one line when out of range.</summary>
public sealed class KeyExchangeSettingsTests
{
    [Theory]
    [InlineData("--Security:KeyExchangeLimit", "0", "Security:KeyExchangeLimit must be between 1 and 100.")]
    [InlineData("--Security:KeyExchangeWindow", "00:00:00", "Security:KeyExchangeWindow must be a positive time span of at most 7 days")]
    [InlineData("--Security:KeyExchangeWindow", "8.00:00:00", "Security:KeyExchangeWindow must be a positive time span of at most 7 days")]
    public void A_bad_key_exchange_setting_fails_validation_with_one_readable_line(string key, string value, string expected)
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), key, value]);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<KeyExchangeOptions>>().Value);

        Assert.True(StartupFailure.TryDescribe(failure, out var message));
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void Defaults_are_ten_exchanges_an_hour_and_settings_reach_the_options()
    {
        using var defaults = ServerHost.Build(["--data", Path.GetTempPath()]);
        using var configured = ServerHost.Build(["--data", Path.GetTempPath(), "--Security:KeyExchangeLimit", "3", "--Security:KeyExchangeWindow", "00:10:00"]);

        var standard = defaults.Services.GetRequiredService<IOptions<KeyExchangeOptions>>().Value;
        var set = configured.Services.GetRequiredService<IOptions<KeyExchangeOptions>>().Value;

        Assert.Equal((10, TimeSpan.FromHours(1)), (standard.KeyExchangeLimit, standard.KeyExchangeWindow));
        Assert.Equal((3, TimeSpan.FromMinutes(10)), (set.KeyExchangeLimit, set.KeyExchangeWindow));
    }
}
