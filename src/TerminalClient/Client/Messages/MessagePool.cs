using System.Collections.Concurrent;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Client.Messages;

/// <summary>
/// Reusable messages shared by every terminal in the process, so requests and responses do not allocate. A returned
/// message is cleared first, which wipes the PAN and PIN block it may have held.
/// </summary>
internal static class MessagePool
{
    private const int MaxPooled = 1024;
    private static readonly ConcurrentQueue<IsoMessage> Pooled = new();
    private static int _count;

    public static IsoMessage Rent()
    {
        if (Pooled.TryDequeue(out var message))
        {
            Interlocked.Decrement(ref _count);
            return message;
        }

        return new IsoMessage();
    }

    public static void Return(IsoMessage? message)
    {
        if (message is null)
        {
            return;
        }

        message.Clear();
        if (Interlocked.Increment(ref _count) <= MaxPooled)
        {
            Pooled.Enqueue(message);
        }
        else
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
