using System.Text;
using SocketAtm.EndToEnd.Tests.Security;

namespace SocketAtm.EndToEnd.Tests.Telemetry;

/// <summary>
/// The host process as an operator runs it, told to send traces to a collector (here a bare HTTP listener): a withdrawal's
/// spans arrive as OTLP/HTTP protobuf at /v1/traces, and nothing of the card goes with them.
/// </summary>
public sealed class OtlpTraceExportTests : IDisposable
{
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(20);

    private readonly string _data = Path.Combine(Path.GetTempPath(), "socketatm-otlp-" + Guid.NewGuid().ToString("N")[..12]);

    // The standard variable for the batch's delay: exported within a tenth of a second rather than five.
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal) { ["OTEL_BSP_SCHEDULE_DELAY"] = "100" };

    [Fact]
    public async Task A_withdrawal_is_exported_as_a_request_span_with_its_ledger_commit_and_no_card_data()
    {
        using var collector = new OtlpReceiver();
        await using var host = ServerProcess.Start(["--port", "0", "--data", _data, "--Telemetry:Otlp:Endpoint", collector.Endpoint], _environment);
        Assert.True(await host.ListensAsync(), string.Join('\n', host.ErrorLines));

        await using (var atm = await TestTerminal.ConnectAsync(host.EndPoint))
        {
            var answer = await atm.ExchangeAsync(atm.Withdrawal(2_500, TestTerminal.NextStan()));
            Assert.Equal("00", answer.GetString(39));
        }

        var traces = await collector.WaitForAsync(
            "/v1/traces", body => Contains(body, "atm 0200") && Contains(body, "ledger commit"), ExportTimeout);

        Assert.True(Contains(traces, "atm 0800"), "the sign-on has a span of its own");
        Assert.True(Contains(traces, "socketatm"), "the spans name the service");
        Assert.False(Contains(traces, TestTerminal.DemoPan), "no span may carry the PAN");
        Assert.False(Contains(traces, TestTerminal.DemoPan[..6] + "******"), "nor its masked form");
        Assert.Contains(host.Output.Split('\n'), line => line.Contains("Traces to OTLP at " + collector.Endpoint + "/", StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_relative_endpoint_refuses_the_start_with_one_line_and_exit_code_2()
    {
        await using var host = await ServerProcess.RunAsync(["--port", "0", "--data", _data, "--Telemetry:Otlp:Endpoint", "collector:4318/path"], _environment);

        Assert.Equal(2, host.ExitCode);
        var line = Assert.Single(host.ErrorLines);
        Assert.Contains("Telemetry:Otlp:Endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) must be an absolute http:// or https:// URI", line, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // The refused start wrote nothing.
        }
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
