namespace SocketAtm.Bench.WholePath;

/// <summary>Which ledger answers the whole-path benchmarks' financial requests.</summary>
public enum LedgerKind
{
    /// <summary>An in-memory ledger that approves at once: what is left is the host's own cost per message.</summary>
    Immediate,

    /// <summary>The real LiteDB ledger on synced files in a temporary directory: every request waits for its group commit.</summary>
    LiteDb,
}
