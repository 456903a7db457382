using System.Threading.Channels;

namespace SocketAtm.Server.Operations.Console;

/// <summary>
/// One browser watching the console: a bounded queue of frames (shared by every viewer, never copied) that the viewer's
/// response drains. When the queue is full the viewer is dropped, not waited for: a stalled browser costs the host at
/// most this queue and the HTTP server's output buffer.
/// </summary>
internal sealed class ConsoleViewer : IDisposable
{
    private readonly Channel<ReadOnlyMemory<byte>> _frames;
    private readonly CancellationTokenSource _dropped = new();

    public ConsoleViewer(int buffer) =>
        _frames = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(buffer)
        {
            SingleReader = true,
            SingleWriter = false, // Published under the viewers' lock, but dropped by the viewer's own request on leaving.
            FullMode = BoundedChannelFullMode.Wait,
        });

    /// <summary>Cancelled when the viewer fell too far behind.</summary>
    public CancellationToken Dropped => _dropped.Token;

    public ChannelReader<ReadOnlyMemory<byte>> Frames => _frames.Reader;

    /// <summary>Queues <paramref name="frame"/>; false (and the viewer dropped) when its queue is full.</summary>
    public bool Offer(ReadOnlyMemory<byte> frame)
    {
        if (_frames.Writer.TryWrite(frame))
        {
            return true;
        }

        Drop();
        return false;
    }

    public void Drop()
    {
        _frames.Writer.TryComplete();
        try
        {
            _dropped.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Left already.
        }
    }

    public void Dispose() => _dropped.Dispose();
}
