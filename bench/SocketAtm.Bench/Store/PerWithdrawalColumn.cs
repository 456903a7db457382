using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SocketAtm.Bench.Store;

/// <summary>The mean time of a batch divided by the withdrawals in it: what one withdrawal costs inside a group commit.</summary>
internal sealed class PerWithdrawalColumn : IColumn
{
    public string Id => nameof(PerWithdrawalColumn);

    public string ColumnName => "Per withdrawal";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Mean time of a batch divided by the withdrawals in it";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (mean is not { } nanoseconds || benchmarkCase.Parameters[nameof(GroupCommitBenchmarks.Withdrawals)] is not int withdrawals)
        {
            return "NA";
        }

        var perWithdrawal = nanoseconds / withdrawals;
        return perWithdrawal switch
        {
            >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{perWithdrawal / 1_000_000:N3} ms"),
            >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{perWithdrawal / 1_000:N3} μs"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{perWithdrawal:N1} ns"),
        };
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
