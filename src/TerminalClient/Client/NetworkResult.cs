using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Client;

/// <summary>The answer to a network management request (0800): sign-on, sign-off, echo or key exchange.</summary>
/// <param name="ResponseCode">DE 39 of the 0810, or null when none came.</param>
/// <param name="RoundTrip">Time from sending to the answer (or to giving up).</param>
/// <param name="Problem">Why the request failed on the terminal's side (no answer, key check value mismatch), or null.</param>
public sealed record NetworkResult(string? ResponseCode, TimeSpan RoundTrip, string? Problem = null)
{
    /// <summary>True when the host answered 00 and the terminal had nothing to object.</summary>
    public bool IsApproved => ResponseCode == ResponseCodes.Approved && Problem is null;
}
