namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>An operator puts an exception back in the queue (<c>admin saf retry</c>): sent again at the next round.</summary>
internal sealed record SafRetry : UpstreamStep
{
    public static readonly SafRetry Instance = new();

    private SafRetry()
    {
    }
}
