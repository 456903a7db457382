using Microsoft.Extensions.ObjectPool;

namespace SocketAtm.Server.Sessions;

/// <summary>Pools request contexts across sessions; a returned context is wiped first.</summary>
internal sealed class MessageContextPoolPolicy : PooledObjectPolicy<MessageContext>
{
    public override MessageContext Create() => new();

    public override bool Return(MessageContext obj)
    {
        obj.Reset();
        return true;
    }
}
