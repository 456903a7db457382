namespace SocketAtm.Load.Terminals;

/// <summary>What the raw driver keeps of a response: its MTI and the fields a repeat must reproduce.</summary>
/// <param name="Mti">The response MTI (810, 210, …); for the bare echo server, the request's own MTI.</param>
/// <param name="ResponseCode">DE 39, or null when absent (the bare echo server's copy of the request).</param>
/// <param name="AuthorizationId">DE 38, or null.</param>
/// <param name="RetrievalReference">DE 37, or null.</param>
internal readonly record struct RawAnswer(int Mti, string? ResponseCode, string? AuthorizationId, string? RetrievalReference)
{
    /// <summary>No answer: the link dropped or the wait timed out.</summary>
    public static RawAnswer None => new(-1, null, null, null);

    public bool IsAnswered => Mti >= 0;

    /// <summary>True when a repeat got the same decision back: same DE 39, DE 38 and DE 37.</summary>
    public bool SameDecisionAs(RawAnswer other) =>
        ResponseCode == other.ResponseCode && AuthorizationId == other.AuthorizationId && RetrievalReference == other.RetrievalReference;
}
