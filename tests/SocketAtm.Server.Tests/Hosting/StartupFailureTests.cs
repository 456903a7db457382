using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Hosting;

/// <summary>A start-up failure an operator can fix is told in readable lines, one per failure, never as a stack trace.</summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task Bad_settings_in_two_sections_are_told_in_one_line_each()
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), "--port", "70000", "--Security:TransmissionTimeWindow", "00:00:00"]);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.True(StartupFailure.TryDescribe(failure, out var message), failure.ToString());
        var lines = message.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, line => line.Contains("Listener:Port must be between 0 and 65535.", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Security:TransmissionTimeWindow must be between", StringComparison.Ordinal));
        Assert.False(StartupFailure.IsTransient(failure));
    }

    [Fact]
    public async Task A_bad_console_setting_is_told_with_the_others_not_instead_of_them()
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), "--port", "70000", "--Operations:Console:MaxViewers", "0"]);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.True(StartupFailure.TryDescribe(failure, out var message), failure.ToString());
        var lines = message.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, line => line.Contains("Listener:Port must be between 0 and 65535.", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Operations:Console:MaxViewers must be between 1 and 10000.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--Security:AllowTerminalsWithoutMac=yes", "Security:AllowTerminalsWithoutMac must be true or false.")]
    [InlineData("--Security:TransmissionTimeWindow=soon", "Security:TransmissionTimeWindow must be a duration such as 00:00:30.")]
    [InlineData("--Listener:Port=eighty", "Listener:Port must be a whole number.")]
    public async Task A_value_the_setting_cannot_take_is_told_in_one_line_without_the_value(string setting, string expected)
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), setting]);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.True(StartupFailure.TryDescribe(failure, out var message), failure.ToString());
        Assert.Equal(expected, message);
        Assert.DoesNotContain(setting[(setting.IndexOf('=') + 1)..], message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_line_is_written_with_the_prefix_and_no_stack_trace()
    {
        var failure = new AggregateException(
            new LedgerStartupException("The ledger cannot use its data directory '/x': denied."),
            new AggregateException(new OptionsValidationException("Listener", typeof(object), ["Listener:Port must be between 0 and 65535."])),
            new LedgerStartupException("The ledger cannot use its data directory '/x': denied."));
        using var error = new StringWriter();

        Assert.True(StartupFailure.TryDescribe(failure, out var message));
        await StartupFailure.WriteAsync(error, message);

        Assert.Equal(
            "socketatm: cannot start: The ledger cannot use its data directory '/x': denied.\n"
            + "socketatm: cannot start: Listener:Port must be between 0 and 65535.\n",
            error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void An_aggregate_holding_a_failure_it_cannot_word_is_left_to_its_stack_trace()
    {
        var failure = new AggregateException(new LedgerStartupException("The ledger cannot be opened."), new FormatException("a defect"));

        Assert.False(StartupFailure.TryDescribe(failure, out _));
    }

    [Fact]
    public void Several_failures_are_worth_a_restart_only_when_each_is()
    {
        var transient = new LedgerStartupException("The database is not reachable yet.") { IsTransient = true };
        var permanent = new LedgerStartupException("The key-encryption key does not open the keys.");

        Assert.True(StartupFailure.IsTransient(new AggregateException(transient, transient)));
        Assert.False(StartupFailure.IsTransient(new AggregateException(transient, permanent)));
    }
}
