using System.Buffers;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Admin;
using SocketAtm.Server.Ledger;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Admin;

public sealed class HaproxyCheckCommandTests
{
    [Fact]
    public async Task There_is_no_default_health_check_terminal()
    {
        using var output = new StringWriter();

        var code = await AdminCommandLine.RunAsync(["haproxy-check"], output, TextWriter.Null);

        Assert.NotEqual(0, code);
        Assert.DoesNotContain("send-binary", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shipped_haproxy_cfg_checks_no_demo_terminal_and_the_printed_lines_take_the_place_of_its_placeholders()
    {
        using var output = new StringWriter();

        var code = await AdminCommandLine.RunAsync(["haproxy-check", "--terminal", "HCHECK01"], output, TextWriter.Null);

        Assert.Equal(0, code);
        var shipped = await File.ReadAllTextAsync(RepositoryFiles.PathOf("deploy", "haproxy.cfg"));
        foreach (var demoTerminal in DemoData.Terminals())
        {
            Assert.DoesNotContain(Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(demoTerminal.TerminalId)), shipped, StringComparison.Ordinal);
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("tcp-check send-binary ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("tcp-check expect binary ", lines[1], StringComparison.Ordinal);
        Assert.Contains("tcp-check send-binary REPLACE-WITH-", shipped, StringComparison.Ordinal);
        Assert.Contains("tcp-check expect binary REPLACE-WITH-", shipped, StringComparison.Ordinal);
    }

    [Fact]
    public void The_check_frame_is_an_0800_sign_on_of_the_given_terminal()
    {
        var frame = new ReadOnlySequence<byte>(Convert.FromHexString(HaproxyCheckCommand.SignOnFrameHex("HCHECK01")));
        var reader = new LengthPrefixedFrameReader(LengthPrefixedFrameReader.DefaultMaxFrameLength);
        var message = new IsoMessage();

        Assert.Equal(FrameReadStatus.Frame, reader.TryReadFrame(ref frame, out var payload, out _));
        Assert.True(IsoMessageParser.TryParse(payload, message, out var error), error.ToString());
        Assert.Equal(800, message.Mti);
        Assert.Equal("HCHECK01", message.GetString(41));
        Assert.Equal("001", message.GetString(70));
        Assert.True(frame.IsEmpty);
    }

    [Fact]
    public async Task A_terminal_id_that_is_not_8_characters_is_refused()
    {
        var code = await AdminCommandLine.RunAsync(["haproxy-check", "--terminal", "TOOLONG123"], TextWriter.Null, TextWriter.Null);

        Assert.Equal(2, code);
    }
}
