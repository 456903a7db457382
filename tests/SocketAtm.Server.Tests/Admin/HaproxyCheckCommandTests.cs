using System.Buffers;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Admin;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Admin;

public sealed class HaproxyCheckCommandTests
{
    [Fact]
    public async Task The_default_check_lines_are_those_shipped_in_deploy_haproxy_cfg()
    {
        using var output = new StringWriter();

        var code = await AdminCommandLine.RunAsync(["haproxy-check"], output, TextWriter.Null);

        Assert.Equal(0, code);
        var shipped = await File.ReadAllLinesAsync(RepositoryFiles.PathOf("deploy", "haproxy.cfg"));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        foreach (var line in lines)
        {
            Assert.Contains(shipped, shippedLine => shippedLine.Trim() == line);
        }
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
