using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>One PostgreSQL server for every test of the <see cref="SharedPostgreSqlServer"/>; removed when they are done.</summary>
public sealed class PostgreSqlFixture : IAsyncLifetime
{
    private PostgreSqlServer? _server;

    /// <summary>The running server; only touched by tests that are not skipped, so PostgreSQL is there.</summary>
    public PostgreSqlServer Server => _server ?? throw new InvalidOperationException(PostgreSqlServer.UnavailableReason ?? "PostgreSQL is not started.");

    public async Task InitializeAsync()
    {
        if (PostgreSqlServer.UnavailableReason is null)
        {
            _server = await PostgreSqlServer.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
