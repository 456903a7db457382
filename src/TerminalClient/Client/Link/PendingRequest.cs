namespace SocketAtm.Client.Link;

/// <summary>A request awaiting its response: the key it is matched on, the response MTI it expects, and when it gives up.</summary>
internal sealed class PendingRequest : TaskCompletionSource<Reply>
{
    public PendingRequest(LinkSession owner, RequestKey key, int responseMti, long deadline)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Owner = owner;
        Key = key;
        ResponseMti = responseMti;
        Deadline = deadline;
    }

    public LinkSession Owner { get; }

    public RequestKey Key { get; }

    public int ResponseMti { get; }

    /// <summary>A <see cref="TimeProvider.GetTimestamp"/> value.</summary>
    public long Deadline { get; }
}
