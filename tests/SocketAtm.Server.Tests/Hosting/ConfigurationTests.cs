using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Handlers;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Tests.Hosting;

public class ConfigurationTests
{
    [Theory]
    [InlineData("--port", "70000", "Listener:Port must be between 0 and 65535.")]
    [InlineData("--address", "not-an-ip", "Listener:Address 'not-an-ip' is not an IP address")]
    [InlineData("--Listener:IdleTimeout", "-00:00:01", "Listener:IdleTimeout must be a positive time span")]
    public void A_bad_setting_fails_validation_with_one_readable_line(string key, string value, string expected)
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), key, value]);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<ListenerOptions>>().Value);

        Assert.True(StartupFailure.TryDescribe(failure, out var message));
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Theory]
    [InlineData("0.0.0.0", false, true)]
    [InlineData("::", false, true)]
    [InlineData("0.0.0.0", true, false)]
    [InlineData("127.0.0.1", false, false)]
    [InlineData("localhost", false, false)]
    public void Off_loopback_plaintext_is_refused_unless_allowed(string address, bool allowPlaintext, bool refused)
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), "--address", address, "--Listener:AllowPlaintext=" + allowPlaintext]);

        var read = () => host.Services.GetRequiredService<IOptions<TlsOptions>>().Value;

        if (refused)
        {
            var failure = Assert.Throws<OptionsValidationException>(read);
            Assert.True(StartupFailure.TryDescribe(failure, out var message));
            Assert.Contains($"Listener:Address {address} is not loopback", message, StringComparison.Ordinal);
            Assert.Contains("Listener:AllowPlaintext=true", message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', message);
        }
        else
        {
            Assert.False(read().Enabled);
        }
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("0.0.0.0", false)]
    public void Demo_data_is_seeded_only_on_loopback_unless_allowed(string address, bool seeded)
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), "--address", address, "--Listener:AllowPlaintext=true", "--Ledger:KeyEncryptionKey=" + new string('A', 64)]);
        using var allowed = ServerHost.Build(["--data", Path.GetTempPath(), "--address", address, "--Listener:AllowPlaintext=true", "--Ledger:KeyEncryptionKey=" + new string('A', 64), "--Ledger:AllowDemoData=true"]);

        Assert.Equal(seeded, host.Services.GetRequiredService<IOptions<SocketAtm.Server.Ledger.LedgerOptions>>().Value.SeedDemoData);
        Assert.True(allowed.Services.GetRequiredService<IOptions<SocketAtm.Server.Ledger.LedgerOptions>>().Value.SeedDemoData);
    }

    [Theory]
    [InlineData("12:00:01")]
    [InlineData("00:00:00")]
    [InlineData("-00:15:00")]
    public void A_transmission_window_outside_one_second_to_twelve_hours_fails_validation_with_one_readable_line(string window)
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), "--Security:TransmissionTimeWindow", window]);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<TransmissionWindowOptions>>().Value);

        Assert.True(StartupFailure.TryDescribe(failure, out var message));
        Assert.Contains("Security:TransmissionTimeWindow must be between 00:00:01 and 12:00:00", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Theory]
    [InlineData("23:59:59", "Ledger:RepeatRetention must be between 1.00:00:00 (one day) and 3650.00:00:00.")]
    [InlineData("1.00:00:00", "Ledger:RepeatRetention must be more than twice Security:TransmissionTimeWindow")]
    public void A_repeat_retention_too_short_fails_validation_with_one_readable_line(string retention, string expected)
    {
        using var host = ServerHost.Build(
            ["--data", Path.GetTempPath(), "--Ledger:RepeatRetention", retention, "--Security:TransmissionTimeWindow", "12:00:00"]);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<SocketAtm.Server.Ledger.LedgerOptions>>().Value);

        Assert.True(StartupFailure.TryDescribe(failure, out var message));
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void Repeat_answers_are_kept_seven_days_unless_set()
    {
        using var defaults = ServerHost.Build(["--data", Path.GetTempPath()]);
        using var set = ServerHost.Build(["--data", Path.GetTempPath(), "--Ledger:RepeatRetention", "30.00:00:00"]);

        Assert.Equal(TimeSpan.FromDays(7), defaults.Services.GetRequiredService<IOptions<SocketAtm.Server.Ledger.LedgerOptions>>().Value.RepeatRetention);
        Assert.Equal(TimeSpan.FromDays(30), set.Services.GetRequiredService<IOptions<SocketAtm.Server.Ledger.LedgerOptions>>().Value.RepeatRetention);
    }

    [Fact]
    public void The_transmission_window_is_fifteen_minutes_unless_set()
    {
        using var defaults = ServerHost.Build(["--data", Path.GetTempPath()]);
        using var set = ServerHost.Build(["--data", Path.GetTempPath(), "--Security:TransmissionTimeWindow", "00:05:00"]);

        Assert.Equal(TimeSpan.FromMinutes(15), defaults.Services.GetRequiredService<IOptions<TransmissionWindowOptions>>().Value.TransmissionTimeWindow);
        Assert.Equal(TimeSpan.FromMinutes(5), set.Services.GetRequiredService<IOptions<TransmissionWindowOptions>>().Value.TransmissionTimeWindow);
    }

    [Fact]
    public void Short_switches_and_prefixed_environment_variables_reach_the_options()
    {
        Environment.SetEnvironmentVariable("SOCKETATM_Listener__MaxConnections", "123");
        try
        {
            using var host = ServerHost.Build(["--port", "0", "--address", "127.0.0.2", "--data", Path.GetTempPath()]);

            var options = host.Services.GetRequiredService<IOptions<ListenerOptions>>().Value;

            Assert.Equal(0, options.Port);
            Assert.Equal("127.0.0.2", options.Address);
            Assert.Equal(123, options.MaxConnections);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SOCKETATM_Listener__MaxConnections", null);
        }
    }

    [Fact]
    public void A_key_encryption_key_written_in_a_json_settings_file_is_refused()
    {
        var settings = Path.Combine(Path.GetTempPath(), "socketatm-settings-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(settings, """{ "Ledger": { "KeyEncryptionKey": "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF" } }""");
        try
        {
            using var host = ServerHost.Build(["--data", Path.GetTempPath()], builder => builder.Configuration.AddJsonFile(settings));

            var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<SocketAtm.Server.Ledger.LedgerOptions>>().Value);

            Assert.Contains("must not be written in appsettings.json", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(settings);
        }
    }

    [Theory]
    [InlineData("Host=db;Database=atm;Username=atm;Password=s3cret", true)]
    [InlineData("Host=db;Database=atm;Username=atm;Passfile=/etc/socketatm/pgpass", false)]
    public void A_database_password_written_in_a_json_settings_file_is_refused(string connectionString, bool refused)
    {
        var settings = Path.Combine(Path.GetTempPath(), "socketatm-settings-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(settings, $$"""{ "Storage": { "Provider": "PostgreSql", "ConnectionString": "{{connectionString}}" } }""");
        try
        {
            using var host = ServerHost.Build(["--data", Path.GetTempPath()], builder => builder.Configuration.AddJsonFile(settings));

            var read = () => host.Services.GetRequiredService<IOptions<StorageOptions>>().Value;

            if (refused)
            {
                var failure = Assert.Throws<OptionsValidationException>(read);
                Assert.Contains("holds a password", failure.Message, StringComparison.Ordinal);
                Assert.DoesNotContain("s3cret", failure.Message, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(connectionString, read().ConnectionString);
            }
        }
        finally
        {
            File.Delete(settings);
        }
    }

    [Fact]
    public void A_database_password_given_through_the_environment_is_accepted()
    {
        Environment.SetEnvironmentVariable("SOCKETATM_Storage__ConnectionString", "Host=db;Database=atm;Username=atm;Password=s3cret");
        try
        {
            using var host = ServerHost.Build(["--data", Path.GetTempPath()]);

            Assert.Contains("Password=s3cret", host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SOCKETATM_Storage__ConnectionString", null);
        }
    }

    [Fact]
    public void Command_line_wins_over_the_environment()
    {
        Environment.SetEnvironmentVariable("SOCKETATM_Listener__Port", "9100");
        try
        {
            using var host = ServerHost.Build(["--port", "9200", "--data", Path.GetTempPath()]);

            Assert.Equal(9200, host.Services.GetRequiredService<IOptions<ListenerOptions>>().Value.Port);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SOCKETATM_Listener__Port", null);
        }
    }
}
