using SocketAtm.Testing;

namespace SocketAtm.Load.Tests;

/// <summary>A fact that needs a PostgreSQL server the harness can start: skipped, saying why, where it cannot.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute()
    {
        if (PostgreSqlServer.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
