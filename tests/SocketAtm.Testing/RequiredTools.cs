using Xunit.Abstractions;
using Xunit.Sdk;

namespace SocketAtm.Testing;

/// <summary>
/// What becomes of a test whose tool is missing. The README's <c>dotnet test SocketAtm.sln</c> runs anywhere, so by
/// default such a test is skipped, loudly (the reason in its name). CI must run every test: with
/// <see cref="RequireAllVariable"/>=1, as .ci/run sets it, the test fails with the reason instead, so a CI machine that
/// lacks a tool goes red rather than green with fewer tests.
/// </summary>
public static class RequiredTools
{
    public const string RequireAllVariable = "SOCKETATM_TESTS_REQUIRE_ALL";

    public static bool RequireAll => Environment.GetEnvironmentVariable(RequireAllVariable) == "1";

    /// <summary>The test case for <paramref name="testMethod"/>: run it, skip it, or fail it for want of <paramref name="missing"/>.</summary>
    public static IXunitTestCase TestCaseFor(
        IMessageSink diagnosticMessageSink, ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, MissingTool? missing, bool requireAll)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        return missing switch
        {
            null => new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod),
            _ when requireAll => new ExecutionErrorTestCase(diagnosticMessageSink, display, displayOptions, testMethod, FailureMessage(missing)),
            _ => new SkippedTestCase(diagnosticMessageSink, display, displayOptions, testMethod, SkipReason(missing)),
        };
    }

    /// <summary>The skip reason, also put in the test's name: the console's default "Skipped …" line shows names, not reasons.</summary>
    private static string SkipReason(MissingTool missing) => $"{missing.Tool} tests SKIPPED: {missing.Why}";

    private static string FailureMessage(MissingTool missing) =>
        $"{missing.Tool} tests cannot run: {missing.Why} {RequireAllVariable}=1 (set by .ci/run) makes this a failure instead of a skip; install it (.ci/install-test-tools), or unset the variable to skip.";
}
