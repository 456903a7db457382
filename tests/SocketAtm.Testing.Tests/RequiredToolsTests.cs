using Xunit.Abstractions;
using Xunit.Sdk;

namespace SocketAtm.Testing.Tests;

/// <summary>
/// A test whose tool is missing is skipped, the reason in its name, for the README's <c>dotnet test SocketAtm.sln</c>;
/// under SOCKETATM_TESTS_REQUIRE_ALL=1, as .ci/run sets it, it fails with that reason instead.
/// </summary>
public sealed class RequiredToolsTests
{
    private static readonly MissingTool Haproxy = new("HAProxy", "no /usr/sbin/haproxy (apt-get install haproxy).");

    [Fact]
    public void A_test_whose_tool_is_present_runs()
    {
        var testCase = RequiredTools.TestCaseFor(new NullMessageSink(), new DiscoveryOptions(), SampleMethod(), missing: null, requireAll: true);

        Assert.IsType<XunitTestCase>(testCase);
        Assert.Null(testCase.SkipReason);
    }

    [Fact]
    public void A_test_whose_tool_is_missing_is_skipped_with_the_reason_in_its_name()
    {
        var testCase = RequiredTools.TestCaseFor(new NullMessageSink(), new DiscoveryOptions(), SampleMethod(), Haproxy, requireAll: false);

        Assert.Equal("HAProxy tests SKIPPED: no /usr/sbin/haproxy (apt-get install haproxy).", testCase.SkipReason);
        Assert.EndsWith("— HAProxy tests SKIPPED: no /usr/sbin/haproxy (apt-get install haproxy).", testCase.DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public void Under_SOCKETATM_TESTS_REQUIRE_ALL_a_test_whose_tool_is_missing_fails_with_the_reason()
    {
        var testCase = RequiredTools.TestCaseFor(new NullMessageSink(), new DiscoveryOptions(), SampleMethod(), Haproxy, requireAll: true);

        var failing = Assert.IsType<ExecutionErrorTestCase>(testCase);
        Assert.Null(failing.SkipReason);
        Assert.StartsWith("HAProxy tests cannot run: no /usr/sbin/haproxy (apt-get install haproxy).", failing.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("SOCKETATM_TESTS_REQUIRE_ALL=1", failing.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_discoverer_asks_the_fact_which_tool_is_missing()
    {
        var method = SampleMethod();

        var discovered = new ToolFactDiscoverer(new NullMessageSink()).Discover(
            new DiscoveryOptions(), method, method.Method.GetCustomAttributes(typeof(FactAttribute)).Single());

        var testCase = Assert.Single(discovered);
        Assert.Contains("HAProxy tests", testCase is ExecutionErrorTestCase failing ? failing.ErrorMessage : testCase.SkipReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_CI_script_installs_the_tools_requires_every_test_and_runs_exactly_the_README_test_command()
    {
        var script = await File.ReadAllLinesAsync(RepositoryFiles.PathOf(".ci", "run"));
        var readme = await File.ReadAllTextAsync(RepositoryFiles.PathOf("README.md"));
        var commands = script.Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();

        Assert.Contains(".ci/install-test-tools", commands);
        Assert.Contains($"export {RequiredTools.RequireAllVariable}=1", commands);
        Assert.Equal("dotnet test SocketAtm.sln", commands[^1]);
        Assert.Contains("dotnet test SocketAtm.sln                # run the whole test suite", readme, StringComparison.Ordinal);
        Assert.True(
            commands.IndexOf(".ci/install-test-tools") < commands.IndexOf($"export {RequiredTools.RequireAllVariable}=1"),
            "the tools must be installed before the suite requires them");
    }

    private static TestMethod SampleMethod()
    {
        var assembly = new TestAssembly(Reflector.Wrap(typeof(Sample).Assembly));
        var testClass = new TestClass(new TestCollection(assembly, null, "samples"), Reflector.Wrap(typeof(Sample)));
        return new TestMethod(testClass, Reflector.Wrap(typeof(Sample).GetMethod(nameof(Sample.Needs_haproxy))!));
    }

    /// <summary>A fact whose tool is always missing; on a private class, so the runner never discovers it itself.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    private sealed class NeedsHaproxyFactAttribute : ToolFactAttribute
    {
        public override MissingTool? Missing => Haproxy;
    }

#pragma warning disable xUnit1000 // Private on purpose: the runner must not discover this sample as a test of its own.
    private sealed class Sample
#pragma warning restore xUnit1000
    {
        [NeedsHaproxyFact]
        public void Needs_haproxy()
        {
        }
    }

    /// <summary>Discovery options with nothing set: the defaults (method names as display names).</summary>
    private sealed class DiscoveryOptions : ITestFrameworkDiscoveryOptions
    {
        public TValue GetValue<TValue>(string name) => default!;

        public void SetValue<TValue>(string name, TValue value)
        {
        }
    }
}
