using SocketAtm.Bench.Micro;
using SocketAtm.Bench.WholePath;

namespace SocketAtm.Bench.Tests;

/// <summary>
/// The hot-path benchmarks whose allocations have a budget, by the name BenchmarkDotNet gives them, each set up by its own
/// benchmark class's set-up and run through its own benchmark method: what is measured here is what the benchmark runs.
/// </summary>
internal static class HotPathOperations
{
    private static readonly Dictionary<string, Func<Task<MeasuredOperation>>> Factories = new(StringComparer.Ordinal)
    {
        ["CodecBenchmarks.ParseWithdrawalRequest"] = () => Codec(codec => codec.ParseWithdrawalRequest()),
        ["CodecBenchmarks.BuildWithdrawalResponse"] = () => Codec(codec => codec.BuildWithdrawalResponse() > 0),
        ["FramingBenchmarks.FrameRead(FramesPerBuffer: 1)"] = () => Framing(1, framing => framing.FrameRead() > 0),
        ["FramingBenchmarks.FrameRead(FramesPerBuffer: 16)"] = () => Framing(16, framing => framing.FrameRead() > 0),
        ["FramingBenchmarks.FrameWrite(FramesPerBuffer: 1)"] = () => Framing(1, framing => framing.FrameWrite() > 0),
        ["FramingBenchmarks.FrameWrite(FramesPerBuffer: 16)"] = () => Framing(16, framing => framing.FrameWrite() > 0),
        ["WholePathBenchmarks.Echo(Ledger: Immediate)"] = () => WholePath(path => path.Echo()),
        ["WholePathBenchmarks.BalanceInquiry(Ledger: Immediate)"] = () => WholePath(path => path.BalanceInquiry()),
        ["WholePathBenchmarks.Withdrawal(Ledger: Immediate)"] = () => WholePath(path => path.Withdrawal()),
        ["WholePathBenchmarks.WithdrawalWithTrack2(Ledger: Immediate)"] = () => WholePath(path => path.WithdrawalWithTrack2()),
    };

    public static IEnumerable<string> Names => Factories.Keys;

    public static Task<MeasuredOperation> SetUpAsync(string name) => Factories[name]();

    private static Task<MeasuredOperation> Codec(Func<CodecBenchmarks, bool> operation)
    {
        var codec = new CodecBenchmarks();
        codec.Setup();
        return Task.FromResult(MeasuredOperation.Synchronous(() => operation(codec)));
    }

    private static Task<MeasuredOperation> Framing(int framesPerBuffer, Func<FramingBenchmarks, bool> operation)
    {
        var framing = new FramingBenchmarks { FramesPerBuffer = framesPerBuffer };
        framing.Setup();
        return Task.FromResult(MeasuredOperation.Synchronous(() => operation(framing)));
    }

    private static async Task<MeasuredOperation> WholePath(Func<WholePathBenchmarks, ValueTask> operation)
    {
        var path = new WholePathBenchmarks { Ledger = LedgerKind.Immediate };
        await path.SetupAsync();
        return MeasuredOperation.Asynchronous(() => operation(path), path.CleanupAsync);
    }
}
