using Xunit;

namespace SocketAtm.Testing;

/// <summary>One PostgreSQL server for the tests of a class (each test makes a database of its own); none where it is missing.</summary>
public sealed class PostgreSqlServerFixture : IAsyncLifetime
{
    private PostgreSqlServer? _server;

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
