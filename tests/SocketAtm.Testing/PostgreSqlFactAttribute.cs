using Xunit;

namespace SocketAtm.Testing;

/// <summary>A fact that needs a PostgreSQL server: skipped, saying why, where the test helper cannot start one.</summary>
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
