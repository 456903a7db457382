using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.LiteDb;
using SocketAtm.Server.Ledger.PostgreSql;

namespace SocketAtm.Server.Hosting;

/// <summary>Opens the ledger <c>Storage:Provider</c> names, for the host and for the admin command line alike.</summary>
internal static class LedgerFactory
{
    /// <summary>Which ledger the settings name, in words fit for a console: the file or host and database, never a password.</summary>
    public static string Describe(LedgerOptions options, StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.Provider != StorageProvider.PostgreSql)
        {
            return "LiteDB in " + Path.GetFullPath(options.DataDirectory);
        }

        try
        {
            var connection = new Npgsql.NpgsqlConnectionStringBuilder(storage.ConnectionString);
            return $"PostgreSQL on {connection.Host}/{connection.Database}";
        }
        catch (ArgumentException)
        {
            return "PostgreSQL (the connection string does not parse)";
        }
    }

    /// <returns>The open ledger; both implementations are also its <see cref="ILedgerAdmin"/>.</returns>
    /// <exception cref="LedgerStartupException">The ledger cannot be opened; the message is one printable line.</exception>
    public static async Task<ILedger> OpenAsync(
        LedgerOptions options,
        StorageOptions storage,
        TimeProvider time,
        Action<Exception>? onFatal,
        IMeterFactory? meterFactory,
        ILoggerFactory loggerFactory,
        IDurableStreamFactory? streams,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return storage.Provider switch
        {
            StorageProvider.PostgreSql => await PostgreSqlLedger.OpenAsync(
                options,
                new PostgreSqlStorageOptions
                {
                    ConnectionString = string.IsNullOrWhiteSpace(storage.ConnectionString)
                        ? throw new LedgerStartupException("Storage:Provider is PostgreSql but Storage:ConnectionString is not set (SOCKETATM_Storage__ConnectionString).")
                        : storage.ConnectionString,
                    TerminalCacheDuration = storage.TerminalCacheDuration,
                    RetryWindow = storage.RetryWindow,
                },
                time,
                onFatal,
                meterFactory,
                loggerFactory.CreateLogger<PostgreSqlLedger>(),
                cancellationToken),
            _ => await LiteDbLedger.OpenAsync(options, time, onFatal, meterFactory, loggerFactory.CreateLogger<LiteDbLedger>(), streams),
        };
    }
}
