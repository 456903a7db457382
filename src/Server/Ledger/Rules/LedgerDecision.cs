using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.Rules;

/// <summary>
/// What a rule decided for one request: the response code and the state it changes. Rules only compute this; the
/// writer applies it, so a decline that changes the card (a wrong PIN) is applied exactly like an approval.
/// </summary>
internal sealed record LedgerDecision
{
    public required string ResponseCode { get; init; }

    /// <summary>The card after the request (PIN tries, status), or null when it is unchanged.</summary>
    public CardRecord? CardAfter { get; init; }

    /// <summary>The account whose balances the outcome reports, after <see cref="Delta"/>; null when none is reported.</summary>
    public AccountRecord? Account { get; init; }

    /// <summary>The change applied to <see cref="Account"/>'s balance, in minor units (negative for a debit).</summary>
    public long Delta { get; init; }

    /// <summary>The card's daily usage after the request, or null when it is unchanged.</summary>
    public DailyUsageRecord? UsageAfter { get; init; }

    /// <summary>For a reversal: the original's stored record, marked reversed; null when the original is untouched.</summary>
    public IdempotencyRecord? OriginalAfter { get; init; }

    /// <summary>For a reversal of an unknown original: keep a marker so that the original is refused if it arrives later.</summary>
    public bool LeavesMarker { get; init; }

    /// <summary>
    /// For a refusal that is a security event (see <see cref="CardCheckResult.SecurityEvent"/>), its reason: the writer
    /// journals it as a security event and applies and stores nothing. Null for every other decision.
    /// </summary>
    public string? SecurityEvent { get; init; }

    /// <summary>For a reversal of a forwarded original: what its journal row says about the acquirer's book (<see cref="UpstreamEntry"/>).</summary>
    public UpstreamEntry? Upstream { get; init; }

    public bool IsApproved => ResponseCode == ResponseCodes.Approved;

    /// <summary>The decision of card checks that failed: their code, the card as they left it, and a security event's reason.</summary>
    public static LedgerDecision Declined(CardCheckResult check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new()
        {
            ResponseCode = check.DeclineCode ?? ResponseCodes.SystemMalfunction,
            CardAfter = check.CardAfter,
            SecurityEvent = check.SecurityEvent,
        };
    }

    public static LedgerDecision Declined(string responseCode, CardRecord? cardAfter = null, AccountRecord? account = null) =>
        new() { ResponseCode = responseCode, CardAfter = cardAfter, Account = account };
}
