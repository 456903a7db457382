namespace SocketAtm.Testing;

/// <summary>A fact that needs a PostgreSQL server: skipped (or failed, see <see cref="RequiredTools"/>) where the test helper cannot start one.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgreSqlFactAttribute : ToolFactAttribute
{
    public override MissingTool? Missing => PostgreSqlServer.Missing;
}
