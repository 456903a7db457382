using System.Globalization;
using System.Text.Json;

namespace SocketAtm.Bench.Tests;

/// <summary>
/// bench/SocketAtm.Bench/allocation-budget.json: the bytes each hot-path benchmark operation is expected to allocate, and
/// how far over its budget a measurement may go before it counts as a regression.
/// </summary>
internal sealed class AllocationBudget
{
    public const string FileName = "allocation-budget.json";

    private AllocationBudget(IReadOnlyDictionary<string, long> bytesPerOperation, double tolerancePercent, long toleranceBytes)
    {
        BytesPerOperation = bytesPerOperation;
        TolerancePercent = tolerancePercent;
        ToleranceBytes = toleranceBytes;
    }

    public IReadOnlyDictionary<string, long> BytesPerOperation { get; }

    /// <summary>A measurement may exceed its budget by this share of the budget...</summary>
    public double TolerancePercent { get; }

    /// <summary>...plus this many bytes.</summary>
    public long ToleranceBytes { get; }

    /// <summary>The budget file copied beside the tests.</summary>
    public static AllocationBudget Load() => Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, FileName)));

    public static AllocationBudget Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var tolerance = root.GetProperty("tolerance");
        var budgets = root.GetProperty("bytesPerOperation")
            .EnumerateObject()
            .ToDictionary(budget => budget.Name, budget => budget.Value.GetInt64(), StringComparer.Ordinal);
        return new AllocationBudget(budgets, tolerance.GetProperty("percent").GetDouble(), tolerance.GetProperty("bytes").GetInt64());
    }

    /// <summary>The most an operation with this budget may allocate per call and still pass.</summary>
    public double Limit(long budget) => (budget * (1 + (TolerancePercent / 100))) + ToleranceBytes;

    /// <summary>Null when <paramref name="measured"/> is within the budget of <paramref name="operation"/>; otherwise why not.</summary>
    public string? Check(string operation, double measured)
    {
        if (!BytesPerOperation.TryGetValue(operation, out var budget))
        {
            return $"{operation} has no budget in {FileName}.";
        }

        var limit = Limit(budget);
        return measured <= limit
            ? null
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{operation} allocates {measured:F1} B per operation, over its budget of {budget} B (limit with tolerance {limit:F1} B). "
                + $"Find what now allocates on the hot path; raise the budget in {FileName} only for an allocation that is meant.");
    }
}
