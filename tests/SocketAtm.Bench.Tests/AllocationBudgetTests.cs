using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Xunit.Abstractions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace SocketAtm.Bench.Tests;

/// <summary>
/// The hot-path benchmarks allocate no more than bench/SocketAtm.Bench/allocation-budget.json allows. Allocations, not
/// times: bytes per operation do not depend on the machine, so they can fail a build where a timing never should.
/// Runs alone (no parallel tests in this assembly), because the whole-path measurement counts every thread.
/// </summary>
public class AllocationBudgetTests(ITestOutputHelper output)
{
    public static TheoryData<string> Operations => new(HotPathOperations.Names);

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Hot_path_operation_allocates_within_its_budget(string operation)
    {
        var budget = AllocationBudget.Load();
        await using var measured = await HotPathOperations.SetUpAsync(operation);

        var bytesPerCall = await measured.BytesPerCallAsync();

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{operation}: measured {bytesPerCall:F1} B per operation, budget {budget.BytesPerOperation.GetValueOrDefault(operation)} B"));
        var failure = budget.Check(operation, bytesPerCall);
        Assert.True(failure is null, failure);
    }

    [Fact]
    public void Every_hot_path_operation_has_a_budget_and_every_budget_an_operation()
    {
        var budgeted = AllocationBudget.Load().BytesPerOperation.Keys.Order(StringComparer.Ordinal);

        Assert.Equal(HotPathOperations.Names.Order(StringComparer.Ordinal), budgeted);
    }

    [Theory]
    [InlineData("SocketAtm.Bench")]
    [InlineData("SocketAtm.Server")]
    [InlineData("SocketAtm.Protocol")]
    public void The_measured_code_is_an_optimized_build_like_the_one_the_benchmarks_run(string assemblyName)
    {
        // A Debug build allocates more (async state machines are classes there); the budgets are for optimized code.
        var debuggable = Assembly.Load(new AssemblyName(assemblyName)).GetCustomAttribute<DebuggableAttribute>();

        Assert.False(debuggable?.IsJITOptimizerDisabled ?? false, $"{assemblyName} is a build without optimizations.");
    }

    [Fact]
    public void A_measurement_above_budget_plus_tolerance_is_reported_and_one_within_is_not()
    {
        var budget = AllocationBudget.Parse("""
            { "tolerance": { "percent": 10, "bytes": 16 }, "bytesPerOperation": { "Op": 1000, "Free": 0 } }
            """);

        Assert.Null(budget.Check("Op", 1116));
        Assert.Contains("over its budget of 1000 B", budget.Check("Op", 1117), StringComparison.Ordinal);
        Assert.Null(budget.Check("Free", 16));
        Assert.NotNull(budget.Check("Free", 24));
        Assert.Contains("has no budget", budget.Check("Unknown", 0), StringComparison.Ordinal);
    }
}
