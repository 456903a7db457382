using Xunit.Sdk;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// A fact that runs against a storage engine: in a class marked <see cref="RequiresPostgreSqlAttribute"/> it is skipped,
/// saying why, when PostgreSQL cannot be started here. Declared on the shared contract tests, it lets the LiteDB run go
/// on while the PostgreSQL run of the same test is skipped.
/// </summary>
[XunitTestCaseDiscoverer("SocketAtm.Server.Tests.Ledger.PostgreSql.StorageFactDiscoverer", "SocketAtm.Server.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StorageFactAttribute : FactAttribute;
