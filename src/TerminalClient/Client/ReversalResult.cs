using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Client;

/// <summary>The end of a reversal (0400, repeated as 0401 until an 0410 arrives).</summary>
/// <param name="Outcome">Acknowledged, abandoned, or not needed.</param>
/// <param name="ResponseCode">DE 39 of the 0410: 00 reversed (or nothing to reverse), 25 original unknown, …; null without an 0410.</param>
/// <param name="DispensedAmount">The amount the terminal reported dispensed (DE 95), in minor units; 0 for a full reversal.</param>
/// <param name="Attempts">How many times the reversal was sent.</param>
/// <param name="Trace">The reversal's own MTI of its first sending, STAN and DE 7; null when nothing was sent.</param>
public sealed record ReversalResult(ReversalOutcome Outcome, string? ResponseCode, long DispensedAmount, int Attempts, RequestTrace? Trace)
{
    /// <summary>True when the host acknowledged the reversal with 00.</summary>
    public bool IsReversed => Outcome == ReversalOutcome.Acknowledged && ResponseCode == ResponseCodes.Approved;
}
