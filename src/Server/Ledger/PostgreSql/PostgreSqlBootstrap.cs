using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// What a host does to a database before it serves from it: brings the schema to this host's version, seeds an empty
/// database, gives a database of older hosts its CVK, and reads the PVK and the CVK. Migration and seeding hold one advisory lock, so hosts starting together do each once.
/// </summary>
internal static class PostgreSqlBootstrap
{
    /// <summary>Brings the schema to the latest version under an advisory lock; says whether the database holds no ledger yet.</summary>
    public static async Task<(int Version, bool IsNew)> MigrateAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgreSqlConnections.ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({PostgreSqlSchema.MigrationLockKey})", cancellationToken);
        await PostgreSqlConnections.ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)", cancellationToken);
        await using (var read = new NpgsqlCommand("SELECT max(version) FROM schema_version", connection))
        {
            var stored = await read.ExecuteScalarAsync(cancellationToken);
            var version = stored is int number ? number : 0;
            for (var next = version + 1; next <= PostgreSqlSchema.Migrations.Count; next++)
            {
                await PostgreSqlConnections.ExecuteAsync(connection, PostgreSqlSchema.Migrations[next - 1], cancellationToken);
                await PostgreSqlConnections.ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture, $"DELETE FROM schema_version; INSERT INTO schema_version VALUES ({next})"), cancellationToken);
            }

            if (version > PostgreSqlSchema.Migrations.Count)
            {
                throw new LedgerStartupException(
                    $"The PostgreSQL ledger's schema is at version {version}, newer than this host knows ({PostgreSqlSchema.Migrations.Count}): upgrade the host.");
            }

            await using var empty = new NpgsqlCommand("SELECT NOT EXISTS (SELECT 1 FROM host_keys)", connection);
            var isNew = (bool)(await empty.ExecuteScalarAsync(cancellationToken))!;
            await transaction.CommitAsync(cancellationToken);
            if (version < PostgreSqlSchema.Migrations.Count)
            {
                PostgreSqlLog.Migrated(logger, version, PostgreSqlSchema.Migrations.Count);
            }

            return (PostgreSqlSchema.Migrations.Count, isNew);
        }
    }

    /// <summary>Seeds an empty database (the demo data, or a fresh PVK alone) under the migration lock; once, whichever host gets there first.</summary>
    public static async Task SeedIfEmptyAsync(
        NpgsqlDataSource dataSource,
        KeyProtector protector,
        PostgreSqlTerminals terminals,
        PostgreSqlAdmin admin,
        bool seedDemoData,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        await using var connection = await PostgreSqlConnections.OpenDurableAsync(dataSource, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The same lock as migration: of two hosts starting on an empty database, one seeds and the other then finds it seeded.
        await PostgreSqlConnections.ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({PostgreSqlSchema.MigrationLockKey})", cancellationToken);
        await using (var empty = new NpgsqlCommand("SELECT NOT EXISTS (SELECT 1 FROM host_keys)", connection))
        {
            if (!(bool)(await empty.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }
        }

        if (seedDemoData)
        {
            await SavePinVerificationKeyAsync(connection, protector, DemoData.PinVerificationKey, cancellationToken);
            await SaveCardVerificationKeyAsync(connection, protector, CardVerificationKeys.ForNewLedger(seedDemoData: true), cancellationToken);
            foreach (var terminal in DemoData.Terminals())
            {
                await terminals.UpsertAsync(connection, terminal, cancellationToken);
            }

            await admin.InsertCardsAsync(connection, DemoData.Cards().ToList(), DemoData.PinVerificationKey, cancellationToken);
            LedgerLog.SeededDemoData(logger);
        }
        else
        {
            await SavePinVerificationKeyAsync(connection, protector, new PinVerificationKey(RandomNumberGenerator.GetBytes(16), 1), cancellationToken);
            await SaveCardVerificationKeyAsync(connection, protector, CardVerificationKeys.ForNewLedger(seedDemoData: false), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Gives a database of hosts from before track 2 was verified its CVK (<see cref="CardVerificationKeys"/>), under the
    /// migration lock, so that of hosts starting together one adds it and the others find it; then reads it.
    /// </summary>
    /// <exception cref="LedgerStartupException">The KEK is not the one the database's keys were stored under.</exception>
    public static async Task<CardVerificationKey> EnsureCardVerificationKeyAsync(
        NpgsqlDataSource dataSource,
        KeyProtector protector,
        PinVerificationKey pinVerificationKey,
        NpgsqlConnectionStringBuilder connectionString,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        await using var connection = await PostgreSqlConnections.OpenDurableAsync(dataSource, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgreSqlConnections.ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({PostgreSqlSchema.MigrationLockKey})", cancellationToken);
        var stored = await ReadCardVerificationKeyAsync(connection, protector, forUpdate: false, connectionString, cancellationToken);
        if (stored is null)
        {
            stored = CardVerificationKeys.ForLedgerWithout(pinVerificationKey, logger);
            await SaveCardVerificationKeyAsync(connection, protector, stored, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    /// <summary>The CVK, decrypted under this host's KEK, or null when the database holds none.</summary>
    internal static async Task<CardVerificationKey?> ReadCardVerificationKeyAsync(
        NpgsqlConnection connection, KeyProtector protector, bool forUpdate, NpgsqlConnectionStringBuilder? connectionString, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT key FROM host_keys WHERE id = 'CVK'" + (forUpdate ? " FOR UPDATE" : string.Empty), connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        try
        {
            return new CardVerificationKey(protector.Unprotect(reader.GetString(0), "host/CVK"));
        }
        catch (CryptographicException) when (connectionString is not null)
        {
            throw new LedgerStartupException(
                $"The key-encryption key does not open the keys stored in {connectionString.Host}/{connectionString.Database}: every host of one database needs the same Ledger:KeyEncryptionKey.");
        }
    }

    internal static async Task SaveCardVerificationKeyAsync(
        NpgsqlConnection connection, KeyProtector protector, CardVerificationKey key, CancellationToken cancellationToken)
    {
        // key_index has no meaning for a CVK pair: 0.
        await using var command = new NpgsqlCommand(
            "INSERT INTO host_keys (id, key, key_index) VALUES ('CVK', $1, 0) ON CONFLICT (id) DO UPDATE SET key = excluded.key",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = protector.Protect(key.Key, "host/CVK") });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The PVKs, decrypted under this host's KEK.</summary>
    /// <exception cref="LedgerStartupException">There is none, or the KEK is not the one the database's keys were stored under.</exception>
    public static async Task<PinVerificationKeyRing> ReadPinVerificationKeysAsync(
        NpgsqlDataSource dataSource, KeyProtector protector, NpgsqlConnectionStringBuilder connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var open = await dataSource.OpenConnectionAsync(cancellationToken);
            return await new PostgreSqlPinVerificationKeys(dataSource, protector).ReadAsync(open, forUpdate: false, cancellationToken)
                ?? throw new LedgerStartupException($"The PostgreSQL ledger on {connection.Host}/{connection.Database} holds no PIN verification key.");
        }
        catch (CryptographicException)
        {
            throw new LedgerStartupException(
                $"The key-encryption key does not open the keys stored in {connection.Host}/{connection.Database}: every host of one database needs the same Ledger:KeyEncryptionKey.");
        }
    }

    internal static async Task SavePinVerificationKeyAsync(
        NpgsqlConnection connection, KeyProtector protector, PinVerificationKey key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO host_keys (id, key, key_index) VALUES ('PVK', $1, $2) ON CONFLICT (id) DO UPDATE SET key = excluded.key, key_index = excluded.key_index",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = protector.Protect(key.Key, "host/PVK") });
        command.Parameters.Add(new NpgsqlParameter { Value = key.Index });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
