namespace SocketAtm.Load.Correctness;

/// <summary>
/// Group-commit batch sizes estimated from the journal: a batch's rows share one decision time and follow each other
/// in id order, so a run of consecutive rows with the same millisecond is one batch (or, rarely, two that committed
/// within the same millisecond). It holds on PostgreSQL too: each host's writer takes journal ids from a block of its own
/// and gives a batch one decision time, so the rows of one batch are consecutive there as well (the figures are then
/// over all hosts' batches together).
/// </summary>
/// <param name="Batches">Batches in the window.</param>
/// <param name="Requests">Journal rows (requests) in the window.</param>
/// <param name="Mean">Mean batch size.</param>
/// <param name="RequestWeightedMean">The batch size the average request was committed in.</param>
/// <param name="Max">The largest batch.</param>
internal sealed record BatchSizes(long Batches, long Requests, double Mean, double RequestWeightedMean, int Max)
{
    public static BatchSizes? FromRows(IEnumerable<(long Id, long AtUnixMilliseconds)> rows)
    {
        var sizes = new List<int>();
        long lastAt = long.MinValue;
        long lastId = long.MinValue;
        foreach (var (id, at) in rows.OrderBy(row => row.Id))
        {
            if (at == lastAt && id == lastId + 1)
            {
                sizes[^1]++;
            }
            else
            {
                sizes.Add(1);
            }

            lastAt = at;
            lastId = id;
        }

        if (sizes.Count == 0)
        {
            return null;
        }

        long requests = sizes.Sum(size => (long)size);
        var weighted = sizes.Sum(size => (double)size * size) / requests;
        return new BatchSizes(sizes.Count, requests, (double)requests / sizes.Count, weighted, sizes.Max());
    }
}
