namespace SocketAtm.Server.Ledger.Rules;

/// <summary>Whether a reversal belongs to the original its DE 90 names (<see cref="ReversalRules.Match"/>).</summary>
internal enum ReversalMatch : byte
{
    /// <summary>Same card (PAN) and same amount (DE 4): the reversal is decided.</summary>
    Matches,

    /// <summary>Another card's PAN: answered 25, as if there were no such original of this card.</summary>
    OtherCard,

    /// <summary>The original's card but another amount: answered 64, original amount incorrect.</summary>
    OtherAmount,
}
