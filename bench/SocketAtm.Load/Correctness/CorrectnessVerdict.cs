namespace SocketAtm.Load.Correctness;

/// <summary>The end-of-run check: balances against what the terminals saw, the ledger's invariants, keys journaled once.</summary>
internal sealed record CorrectnessVerdict
{
    public required bool Holds { get; init; }

    /// <summary>How the check was made: against the ledger files, or by balance inquiries against a running host.</summary>
    public required string Method { get; init; }

    public int CardsChecked { get; init; }

    public long JournalRows { get; init; }

    public long KeysChecked { get; init; }

    public long ApprovedAmount { get; init; }

    public long ReversedAmount { get; init; }

    /// <summary>Every way the check failed (capped); empty when it holds.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];

    /// <summary>Group-commit batch sizes seen in the measured window, estimated from the journal (null against a running host).</summary>
    public BatchSizes? Batches { get; init; }
}
