using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Server.Tests.Ledger.PostgreSql;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>Demo data found and removed on the PostgreSQL ledger, each test in a database of its own.</summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class PostgreSqlDemoDataTests(PostgreSqlServerFixture postgres) : DemoDataContractTests
{
    private string? _connectionString;

    internal override async Task<ILedger> OpenLedgerAsync(LedgerTestContext context)
    {
        _connectionString ??= await postgres.Server.CreateDatabaseAsync();
        return await PostgreSqlLedger.OpenAsync(
            context.Options, new PostgreSqlStorageOptions { ConnectionString = _connectionString }, context.Time, context.FatalErrors.Add);
    }
}
