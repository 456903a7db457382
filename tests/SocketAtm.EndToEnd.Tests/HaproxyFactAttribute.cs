using System.Runtime.CompilerServices;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>A fact that needs Debian's haproxy and a PostgreSQL server: skipped, with the reason in its name, where either is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class HaproxyFactAttribute : FactAttribute
{
    public const string Program = "/usr/sbin/haproxy";

    public HaproxyFactAttribute([CallerMemberName] string test = "")
    {
        if (!File.Exists(Program))
        {
            Skip = $"HAProxy tests SKIPPED: no {Program} (apt-get install haproxy).";
        }
        else if (PostgreSqlServer.UnavailableReason is { } reason)
        {
            Skip = "PostgreSQL tests SKIPPED: " + reason;
        }

        if (Skip is not null)
        {
            DisplayName = $"{test} — {Skip}";
        }
    }
}
