using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Server.Tests.Ledger.PostgreSql;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>The operator's writes on the PostgreSQL ledger, each test in a database of its own.</summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class PostgreSqlOperatorToolsTests(PostgreSqlServerFixture postgres) : OperatorToolsContractTests
{
    private string? _connectionString;

    internal override async Task<ILedger> OpenLedgerAsync(LedgerTestContext context)
    {
        _connectionString ??= await postgres.Server.CreateDatabaseAsync();
        return await PostgreSqlLedger.OpenAsync(
            context.Options, new PostgreSqlStorageOptions { ConnectionString = _connectionString }, context.Time, context.FatalErrors.Add);
    }

    [StorageFact]
    public async Task Another_host_sees_a_terminal_disabled_within_its_terminal_cache_freshness()
    {
        var freshFor = TimeSpan.FromMilliseconds(300);
        await using var other = await PostgreSqlLedger.OpenAsync(
            Context.Options, new PostgreSqlStorageOptions { ConnectionString = _connectionString!, TerminalCacheDuration = freshFor }, Context.Time);
        Assert.True((await other.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None))!.Enabled);

        await Admin.SetTerminalEnabledAsync(LedgerTestContext.Terminal, enabled: false, CancellationToken.None);

        // Within the freshness the other host may still serve what it read; after it, it reads the database again.
        await Task.Delay(freshFor + TimeSpan.FromMilliseconds(100));
        Assert.False((await other.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None))!.Enabled);
    }
}
