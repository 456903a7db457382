using System.ComponentModel.DataAnnotations;

namespace SocketAtm.Server.Hosting;

/// <summary>Which ledger the host uses, bound from the configuration section <see cref="SectionName"/>.</summary>
internal sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary><see cref="StorageProvider.LiteDb"/> (one host, embedded) or <see cref="StorageProvider.PostgreSql"/> (several hosts on one database).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.LiteDb;

    /// <summary>
    /// The Npgsql connection string when <see cref="Provider"/> is PostgreSql. It usually holds a password: give it through the
    /// environment (SOCKETATM_Storage__ConnectionString); the host never logs it.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long a terminal read from PostgreSQL is served from memory (a key exchange on another host shows after this).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan TerminalCacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a batch is retried through transient PostgreSQL failures before the host stops.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromSeconds(30);
}
