using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Server.Tests.Ledger.PostgreSql;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>The ledger contract on the PostgreSQL ledger, each test in a database of its own.</summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class PostgreSqlLedgerContractTests(PostgreSqlServerFixture postgres) : LedgerContractTests
{
    private string? _connectionString;

    internal override async Task<ILedger> OpenLedgerAsync(LedgerTestContext context)
    {
        _connectionString ??= await postgres.Server.CreateDatabaseAsync();
        return await PostgreSqlLedger.OpenAsync(
            context.Options, new PostgreSqlStorageOptions { ConnectionString = _connectionString }, context.Time, context.FatalErrors.Add);
    }
}
