using SocketAtm.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>Discovers <see cref="StorageFactAttribute"/> tests, skipping those of PostgreSQL classes where it is missing.</summary>
public sealed class StorageFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(discoveryOptions);
        ArgumentNullException.ThrowIfNull(testMethod);
        var needsPostgreSql = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgreSqlAttribute)).Any();
        var skipReason = needsPostgreSql && PostgreSqlServer.UnavailableReason is { } reason ? "PostgreSQL tests SKIPPED: " + reason : null;
        yield return skipReason is null
            ? new XunitTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)
            : new SkippedTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, skipReason);
    }
}
