using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>The tests that share one PostgreSQL server (each in a database of its own).</summary>
[CollectionDefinition(Name)]
public sealed class SharedPostgreSqlServer : ICollectionFixture<PostgreSqlServerFixture>
{
    public const string Name = "PostgreSQL";
}
