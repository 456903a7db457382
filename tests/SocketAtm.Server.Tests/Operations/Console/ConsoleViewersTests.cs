using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using SocketAtm.Server.Operations.Console;

namespace SocketAtm.Server.Tests.Operations.Console;

/// <summary>A viewer that does not keep up is dropped, never waited for, and the number watching is capped.</summary>
public sealed class ConsoleViewersTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private ConsoleViewers Viewers(int maxViewers = 10, int buffer = 3) =>
        new(new ConsoleOptions { MaxViewers = maxViewers, ViewerBuffer = buffer }, _services.GetRequiredService<IMeterFactory>());

    [Fact]
    public void A_viewer_that_reads_nothing_is_dropped_once_its_buffer_is_full_and_the_others_are_not()
    {
        var viewers = Viewers(buffer: 3);
        var stalled = viewers.TryJoin()!;
        var reading = viewers.TryJoin()!;
        for (var frame = 0; frame < 3; frame++)
        {
            viewers.Publish(new byte[] { (byte)frame });
            Assert.True(reading.Frames.TryRead(out _));
        }

        Assert.False(stalled.Dropped.IsCancellationRequested);
        viewers.Publish(new byte[] { 3 });

        Assert.True(stalled.Dropped.IsCancellationRequested);
        Assert.False(reading.Dropped.IsCancellationRequested);
        Assert.Equal(1, viewers.Count);
        Assert.True(reading.Frames.TryRead(out var latest));
        Assert.Equal(3, latest.Span[0]);
    }

    [Fact]
    public void Every_viewer_gets_the_same_frame_not_a_copy()
    {
        var viewers = Viewers();
        var first = viewers.TryJoin()!;
        var second = viewers.TryJoin()!;
        var frame = new byte[] { 1, 2, 3 };
        viewers.Publish(frame);

        Assert.True(first.Frames.TryRead(out var a));
        Assert.True(second.Frames.TryRead(out var b));
        Assert.True(a.Span == b.Span);
    }

    [Fact]
    public void No_more_than_MaxViewers_watch_and_one_leaving_makes_room()
    {
        var viewers = Viewers(maxViewers: 2);
        var first = viewers.TryJoin();
        Assert.NotNull(first);
        Assert.NotNull(viewers.TryJoin());
        Assert.Null(viewers.TryJoin());

        viewers.Leave(first);
        Assert.NotNull(viewers.TryJoin());
    }

    public void Dispose() => _services.Dispose();
}
