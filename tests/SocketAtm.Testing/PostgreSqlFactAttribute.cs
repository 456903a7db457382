using System.Runtime.CompilerServices;
using Xunit;

namespace SocketAtm.Testing;

/// <summary>
/// A fact that needs a PostgreSQL server: skipped where the test helper cannot start one, with the reason in the test's
/// name too, so that the console's default "Skipped …" line says why.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute([CallerMemberName] string test = "")
    {
        if (PostgreSqlServer.UnavailableReason is { } reason)
        {
            Skip = "PostgreSQL tests SKIPPED: " + reason;
            DisplayName = $"{test} — {Skip}";
        }
    }
}
