using BenchmarkDotNet.Configs;

namespace SocketAtm.Bench.Store;

/// <summary>Adds the "Per withdrawal" column to <see cref="GroupCommitBenchmarks"/>.</summary>
public sealed class PerWithdrawalConfig : ManualConfig
{
    public PerWithdrawalConfig() => AddColumn(new PerWithdrawalColumn());
}
