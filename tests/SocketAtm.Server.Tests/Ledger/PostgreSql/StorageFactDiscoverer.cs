using SocketAtm.Testing;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// Discovers <see cref="StorageFactAttribute"/> tests: those of PostgreSQL classes are skipped (or failed, see
/// <see cref="RequiredTools"/>) where it is missing.
/// </summary>
public sealed class StorageFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        var needsPostgreSql = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgreSqlAttribute)).Any();
        yield return RequiredTools.TestCaseFor(
            diagnosticMessageSink, discoveryOptions, testMethod, needsPostgreSql ? PostgreSqlServer.Missing : null, RequiredTools.RequireAll);
    }
}
