namespace SocketAtm.Load;

/// <summary>What the simulated terminals send.</summary>
internal enum Workload
{
    /// <summary>Echo tests (0800, DE 70 = 301): the transport and session path, no ledger.</summary>
    Echo,

    /// <summary>Balance inquiries (0100): PIN verification and a journaled, durable decision, no money moved.</summary>
    Balance,

    /// <summary>Cash withdrawals (0200), all dispensed: the durable debit path.</summary>
    Withdrawal,

    /// <summary>Balances and withdrawals with give-ups (reversed), jams, partial dispenses, repeated 0201s and duplicate 0200s.</summary>
    Mixed,
}
