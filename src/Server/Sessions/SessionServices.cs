using Microsoft.Extensions.ObjectPool;
using SocketAtm.Server.Diagnostics;

namespace SocketAtm.Server.Sessions;

/// <summary>What every session shares: the dispatcher, the pool of request contexts, the clock and the metrics.</summary>
internal sealed class SessionServices
{
    public SessionServices(MessageDispatcher dispatcher, TimeProvider time, AtmMetrics metrics)
    {
        Dispatcher = dispatcher;
        Time = time;
        Metrics = metrics;
        Contexts = new DefaultObjectPool<MessageContext>(new MessageContextPoolPolicy(), maximumRetained: 4096);
    }

    public MessageDispatcher Dispatcher { get; }

    public ObjectPool<MessageContext> Contexts { get; }

    public TimeProvider Time { get; }

    public AtmMetrics Metrics { get; }
}
