using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketAtm.Fuzz;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Tests.Transport;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Tests.Sessions;

/// <summary>
/// A connection over which no terminal is signed on is closed after Listener:SignOnTimeout: from its start, and again
/// from its last sign-off. Keep-alives and echo tests answer, but do not keep it open.
/// </summary>
public sealed class SignOnTimeoutTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Echo_tests_and_keep_alives_do_not_keep_a_connection_without_a_sign_on_open()
    {
        await using var host = new SessionHarness(options: new ListenerOptions { SignOnTimeout = TimeSpan.FromSeconds(10) });
        await EchoAsync(host, 1); // the session runs: its clock has started

        host.Time.Advance(TimeSpan.FromSeconds(6));
        await host.SendRawAsync([0x00, 0x00]);
        await EchoAsync(host, 2);
        host.Time.Advance(TimeSpan.FromSeconds(3.9));
        await EchoAsync(host, 3);
        Assert.False(host.Running.IsCompleted);

        host.Time.Advance(TimeSpan.FromSeconds(0.2));

        await host.Running.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_connection_whose_terminal_signed_on_is_held_by_the_idle_timeout_only()
    {
        await using var host = new SessionHarness(options: new ListenerOptions { SignOnTimeout = TimeSpan.FromSeconds(10), IdleTimeout = TimeSpan.FromSeconds(60) });
        await EchoAsync(host, 1);
        host.Time.Advance(TimeSpan.FromSeconds(9));
        await SignOnAsync(host, "ATM00009", 2);

        host.Time.Advance(TimeSpan.FromSeconds(50));
        await EchoAsync(host, 3);
        host.Time.Advance(TimeSpan.FromSeconds(50));

        Assert.Equal("00", await EchoAsync(host, 4));
        Assert.False(host.Running.IsCompleted);
    }

    [Fact]
    public async Task The_clock_starts_again_when_the_last_terminal_signs_off()
    {
        var ledger = new FakeLedger();
        ledger.AddTerminal("ATM00010");
        await using var host = new SessionHarness(ledger, new ListenerOptions { SignOnTimeout = TimeSpan.FromSeconds(10) });
        await SignOnAsync(host, "ATM00009", 1);
        await SignOnAsync(host, "ATM00010", 2);
        host.Time.Advance(TimeSpan.FromSeconds(30));
        await NetworkManagementAsync(host, "ATM00009", 3, "002");
        host.Time.Advance(TimeSpan.FromSeconds(30)); // one terminal is still signed on
        await NetworkManagementAsync(host, "ATM00010", 4, "002");

        host.Time.Advance(TimeSpan.FromSeconds(9.9));
        await EchoAsync(host, 5);
        Assert.False(host.Running.IsCompleted);
        host.Time.Advance(TimeSpan.FromSeconds(0.2));

        await host.Running.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_sign_on_timeout_is_counted_and_logged_once_as_a_warning()
    {
        var logs = new RecordingLoggerProvider(SeedFrames.DemoPan);
        await using var sessions = new SessionFactory(new ListenerOptions { SignOnTimeout = TimeSpan.FromSeconds(10) }, logs);
        await using var session = sessions.Open();
        Assert.Equal("00", await session.EchoAsync("ATM00009", 1, Bound));

        sessions.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(await session.EndsWithinAsync(Bound));
        Assert.Equal(1, sessions.Count("socketatm.connections.closed_by_host/reason=sign_on_timeout"));
        Assert.Equal(1, logs.CountOf(60));
        Assert.Equal(1, logs.CountAtOrAbove(LogLevel.Warning));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:01")]
    [InlineData("2.00:00:00")]
    public void A_sign_on_timeout_out_of_range_fails_validation_with_one_readable_line(string value)
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), "--Listener:SignOnTimeout=" + value]);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<ListenerOptions>>().Value);

        Assert.True(StartupFailure.TryDescribe(failure, out var message));
        Assert.Contains("Listener:SignOnTimeout must be a positive time span of at most one day", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sign_on_timeout_defaults_to_ten_seconds() => Assert.Equal(TimeSpan.FromSeconds(10), new ListenerOptions().SignOnTimeout);

    private static Task<string?> EchoAsync(SessionHarness host, int stan) => NetworkManagementAsync(host, "ATM00009", stan, "301");

    private static async Task SignOnAsync(SessionHarness host, string terminalId, int stan) =>
        Assert.Equal("00", await NetworkManagementAsync(host, terminalId, stan, "001"));

    private static async Task<string?> NetworkManagementAsync(SessionHarness host, string terminalId, int stan, string code)
    {
        await host.SendAsync(DemoRequests.NetworkManagement(terminalId, stan, code));
        var response = await host.ReceiveAsync();
        Assert.Equal(stan, int.Parse(response!.GetString(11)!, System.Globalization.CultureInfo.InvariantCulture));
        return response.GetString(39);
    }
}
