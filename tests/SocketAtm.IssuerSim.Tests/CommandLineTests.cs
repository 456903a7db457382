using System.Net;
using SocketAtm.IssuerSim.Faults;

namespace SocketAtm.IssuerSim.Tests;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("unknown-key", BadAnswerMode.UnknownKey)]
    [InlineData("request-mti", BadAnswerMode.RequestMti)]
    [InlineData("pan-mismatch", BadAnswerMode.PanMismatch)]
    [InlineData("amount-mismatch", BadAnswerMode.AmountMismatch)]
    [InlineData("oversize", BadAnswerMode.Oversize)]
    [InlineData("garbage", BadAnswerMode.Garbage)]
    public void Every_bad_answer_mode_has_its_command_line_name(string name, BadAnswerMode mode) =>
        Assert.Equal(mode, IssuerCommandLine.ParseMode(name));

    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("2s", 2_000)]
    [InlineData("1.5m", 90_000)]
    [InlineData("00:00:10", 10_000)]
    public void Durations_read_with_units_or_as_a_time_span(string text, int milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Fact]
    public void Off_loopback_without_a_ZPK_the_options_are_refused_in_one_line()
    {
        var problem = new IssuerSimulatorOptions { Address = IPAddress.Any }.Problem();

        Assert.NotNull(problem);
        Assert.Contains("--zpk", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Theory]
    [InlineData("--drop", "1.5")]
    [InlineData("--delay", "soon")]
    [InlineData("--bad-answers", "rude")]
    [InlineData("--zpk", "1234")]
    public async Task A_bad_option_is_a_usage_error_and_nothing_starts(string option, string value)
    {
        var error = new StringWriter();

        var exit = await IssuerCommandLine.InvokeAsync([option, value, "--port", "0", "--data", Path.Combine(Path.GetTempPath(), "never-created")], TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(IssuerCommandLine.Usage, exit);
        Assert.NotEmpty(error.ToString());
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), "never-created")));
    }

    [Theory]
    [InlineData("--refuse-advices", "00")]
    [InlineData("--refuse-advices", "1")]
    [InlineData("--refuse-reversals", "3O")]
    [InlineData("--refuse-reversals", "123")]
    public async Task A_refusal_code_that_is_not_two_digits_other_than_00_is_refused_in_one_line_naming_the_option(string option, string code)
    {
        var error = new StringWriter();

        // Should the code be taken, the simulator would run: the deadline stops it, and the exit code says so.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var exit = await IssuerCommandLine.InvokeAsync([option, code, "--port", "0", "--data", Path.Combine(Path.GetTempPath(), "never-created")], TextWriter.Null, error, deadline.Token);

        Assert.Equal(IssuerCommandLine.Usage, exit);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(option, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_refusal_switches_reach_the_running_simulator()
    {
        var directory = Path.Combine(Path.GetTempPath(), "issuer-sim-tests", Guid.NewGuid().ToString("N"));
        var output = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var exit = await IssuerCommandLine.InvokeAsync(["--port", "0", "--data", directory, "--refuse-advices", "12", "--refuse-reversals", "30"], output, TextWriter.Null, stop.Token);

        Assert.Equal(0, exit);
        Assert.Contains("refuse advices 12, refuse reversals 30", output.ToString(), StringComparison.Ordinal);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task The_simulator_runs_from_the_command_line_until_cancelled()
    {
        var directory = Path.Combine(Path.GetTempPath(), "issuer-sim-tests", Guid.NewGuid().ToString("N"));
        var output = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var exit = await IssuerCommandLine.InvokeAsync(["--port", "0", "--data", directory, "--seed", "7", "--drop", "0.1"], output, TextWriter.Null, stop.Token);

        Assert.Equal(0, exit);
        Assert.Contains("ZPK KCV", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("541333******0019", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(IssuerDemoData.Rich.Pan, output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(IssuerDemoData.ZonePinKeyHex, output.ToString(), StringComparison.Ordinal);
        Directory.Delete(directory, recursive: true);
    }
}
