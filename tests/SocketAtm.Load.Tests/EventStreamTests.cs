using SocketAtm.Load.Viewers;

namespace SocketAtm.Load.Tests;

/// <summary>The viewers' reading of server-sent events, as a browser's EventSource reads them.</summary>
public sealed class EventStreamTests
{
    [Fact]
    public async Task Events_are_dispatched_at_a_blank_line_with_their_name_and_joined_data()
    {
        var stream = new EventStream(new StringReader("retry: 3000\n\nevent: history\ndata: [1,\ndata:2]\n\n: a comment\nevent: frame\ndata: {}\n\n"));

        Assert.Equal(("history", "[1,\n2]"), await stream.ReadAsync(CancellationToken.None));
        Assert.Equal(("frame", "{}"), await stream.ReadAsync(CancellationToken.None));
        Assert.Null(await stream.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_event_cut_off_by_the_end_of_the_stream_is_not_dispatched()
    {
        var stream = new EventStream(new StringReader("event: frame\ndata: {\"point\""));

        Assert.Null(await stream.ReadAsync(CancellationToken.None));
    }
}
