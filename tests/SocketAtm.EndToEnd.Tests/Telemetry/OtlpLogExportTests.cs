using System.Text;
using SocketAtm.EndToEnd.Tests.Security;

namespace SocketAtm.EndToEnd.Tests.Telemetry;

/// <summary>
/// The host process told to send its logs to the collector as well (Telemetry:Otlp:Logs): its log events arrive as OTLP/HTTP
/// protobuf at /v1/logs, at the levels Serilog's configuration lets through, with the console unchanged and nothing of the
/// card but its masked PAN.
/// </summary>
public sealed class OtlpLogExportTests : IDisposable
{
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(20);

    private readonly string _data = Path.Combine(Path.GetTempPath(), "socketatm-otlp-logs-" + Guid.NewGuid().ToString("N")[..12]);

    // The standard variables for the batches' delays: exported within a tenth of a second rather than one or five.
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal)
    {
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
    };

    [Fact]
    public async Task A_withdrawal_s_log_lines_are_exported_with_the_service_name_and_no_card_data()
    {
        using var collector = new OtlpReceiver();
        await using var host = ServerProcess.Start(
            ["--port", "0", "--data", _data, "--Telemetry:Otlp:Endpoint", collector.Endpoint, "--Telemetry:Otlp:Logs", "true"], _environment);
        Assert.True(await host.ListensAsync(), string.Join('\n', host.ErrorLines));

        await using (var atm = await TestTerminal.ConnectAsync(host.EndPoint))
        {
            var answer = await atm.ExchangeAsync(atm.Withdrawal(2_500, TestTerminal.NextStan()));
            Assert.Equal("00", answer.GetString(39));
        }

        // The rendered messages (Serilog's rendering: strings quoted): the start-up line and the withdrawal's Information line.
        var logs = await collector.WaitForAsync(
            "/v1/logs", body => Contains(body, "Listening on ") && Contains(body, "amount 2500 -> "), ExportTimeout);
        var traces = await collector.WaitForAsync("/v1/traces", body => Contains(body, "atm 0200"), ExportTimeout);

        // The withdrawal's line carries the trace id of the withdrawal's span.
        var transaction = Assert.Single(OtlpProtobuf.LogRecords(logs), record => OtlpProtobuf.LogBody(record)?.Contains("amount 2500 -> ", StringComparison.Ordinal) == true);
        var span = Assert.Single(OtlpProtobuf.Spans(traces), span => OtlpProtobuf.SpanName(span) == "atm 0200");
        Assert.NotEqual("", OtlpProtobuf.LogTraceId(transaction));
        Assert.Equal(OtlpProtobuf.SpanTraceId(span), OtlpProtobuf.LogTraceId(transaction));

        Assert.True(Contains(logs, "socketatm"), "the log records name the service, as the spans do");
        Assert.True(Contains(logs, "Logs to OTLP at \"" + collector.Endpoint + "/"), "the start-up line saying so is exported too");
        Assert.False(Contains(logs, TestTerminal.DemoPan), "no log record may carry the PAN");
        Assert.False(Contains(logs, "Application started"), "Serilog's Microsoft: Warning override applies to what goes to OTLP too");

        // The console is Serilog's alone, as before: no second copy from a default Microsoft.Extensions.Logging provider.
        var lines = host.Output.Split('\n');
        Assert.Single(lines, line => line.Contains("Listening on ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Logs to OTLP at " + collector.Endpoint + "/", StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task Without_the_setting_no_log_is_exported_though_traces_are()
    {
        using var collector = new OtlpReceiver();
        await using var host = ServerProcess.Start(["--port", "0", "--data", _data, "--Telemetry:Otlp:Endpoint", collector.Endpoint], _environment);
        Assert.True(await host.ListensAsync(), string.Join('\n', host.ErrorLines));

        await using (var atm = await TestTerminal.ConnectAsync(host.EndPoint))
        {
            Assert.Equal("00", (await atm.ExchangeAsync(atm.Withdrawal(2_500, TestTerminal.NextStan()))).GetString(39));
        }

        await collector.WaitForAsync("/v1/traces", body => Contains(body, "atm 0200"), ExportTimeout);
        await host.StopAsync();
        Assert.Empty(collector.BodiesPostedTo("/v1/logs"));
        Assert.DoesNotContain(host.Output.Split('\n'), line => line.Contains("Logs to OTLP", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_without_an_endpoint_refuse_the_start_with_one_line_and_exit_code_2()
    {
        await using var host = await ServerProcess.RunAsync(["--port", "0", "--data", _data, "--Telemetry:Otlp:Logs", "true"], _environment);

        Assert.Equal(2, host.ExitCode);
        var line = Assert.Single(host.ErrorLines);
        Assert.Contains("Telemetry:Otlp:Logs=true needs Telemetry:Otlp:Endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT)", line, StringComparison.Ordinal);
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
