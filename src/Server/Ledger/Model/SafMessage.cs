namespace SocketAtm.Server.Ledger.Model;

/// <summary>What a forwarded record owes its issuer through store-and-forward (PROTOCOL.md §15.6, §15.18).</summary>
internal enum SafMessage : byte
{
    /// <summary>A reversal advice: 0420, then 0421.</summary>
    Reversal,

    /// <summary>The advice of a stand-in approval: 0220, then 0221.</summary>
    Advice,
}
