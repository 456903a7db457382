namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>Marks a test class whose <see cref="StorageFactAttribute"/> tests are skipped, with the reason, where PostgreSQL is missing.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequiresPostgreSqlAttribute : Attribute;
