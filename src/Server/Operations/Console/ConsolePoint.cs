namespace SocketAtm.Server.Operations.Console;

/// <summary>
/// One interval of the host's figures as the console charts them: requests answered by response code, the ledger's group
/// commits and its queue. Counts are of the interval; <see cref="Seconds"/> is its length.
/// </summary>
internal sealed class ConsolePoint
{
    /// <summary>End of the interval, Unix milliseconds.</summary>
    public long At { get; init; }

    public double Seconds { get; init; }

    /// <summary>Transactions answered (every MTI but network management), by response code.</summary>
    public Dictionary<string, long> Codes { get; } = new(StringComparer.Ordinal);

    /// <summary>Network management requests answered (sign-on, echo, key exchange).</summary>
    public long NetworkManagement { get; set; }

    public long Commits { get; set; }

    public double BatchedRequests { get; set; }

    public double BatchMax { get; set; }

    public double CommitMilliseconds { get; set; }

    public double CommitMaxMilliseconds { get; set; }

    /// <summary>Requests answered 91 at once because the ledger's queue was full.</summary>
    public long Saturated { get; set; }

    /// <summary>The ledger queue's depth when the interval ended.</summary>
    public long QueueDepth { get; set; }

    public long Transactions => Codes.Values.Sum();

    public double TransactionsPerSecond => Seconds > 0 ? Transactions / Seconds : 0;
}
