using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Client.Link;

/// <summary>The response to one request, or why there is none. A present message is owned by whoever receives the reply.</summary>
internal readonly record struct Reply(IsoMessage? Message, NoResponseReason Reason)
{
    public static Reply Of(IsoMessage message) => new(message, default);

    public static Reply None(NoResponseReason reason) => new(null, reason);
}
