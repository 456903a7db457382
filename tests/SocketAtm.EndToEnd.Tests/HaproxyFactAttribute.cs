namespace SocketAtm.EndToEnd.Tests;

/// <summary>A fact that needs Debian's haproxy and a PostgreSQL server: skipped (or failed, see <see cref="RequiredTools"/>) where either is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class HaproxyFactAttribute : ToolFactAttribute
{
    public const string Program = "/usr/sbin/haproxy";

    public override MissingTool? Missing => File.Exists(Program)
        ? PostgreSqlServer.Missing
        : new MissingTool("HAProxy", $"no {Program} (apt-get install haproxy).");
}
