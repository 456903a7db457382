using System.Globalization;
using Npgsql;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// The PVKs in <c>host_keys</c>: the issuing one in the row <c>PVK</c>, where the one PVK always was (so a database of
/// one PVK needs no migration), the others in rows <c>PVK/</c> and their PVKI; each sealed under the KEK.
/// </summary>
internal sealed class PostgreSqlPinVerificationKeys(NpgsqlDataSource dataSource, KeyProtector protector)
{
    private const string IssuingId = "PVK";
    private const string OtherIdPrefix = "PVK/";

    /// <summary>The PVKs as stored (locked, when <paramref name="forUpdate"/>, until the caller's transaction ends); null when none is.</summary>
    public async Task<PinVerificationKeyRing?> ReadAsync(NpgsqlConnection connection, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT id, key, key_index FROM host_keys WHERE id = $1 OR id LIKE $2 ORDER BY key_index" + (forUpdate ? " FOR UPDATE" : string.Empty), connection);
        command.Parameters.Add(new NpgsqlParameter { Value = IssuingId });
        command.Parameters.Add(new NpgsqlParameter { Value = OtherIdPrefix + "%" });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        PinVerificationKey? issuing = null;
        var others = new List<PinVerificationKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            var key = new PinVerificationKey(protector.Unprotect(reader.GetString(1), "host/" + id), reader.GetInt32(2));
            if (id == IssuingId)
            {
                issuing = key;
            }
            else
            {
                others.Add(key);
            }
        }

        return issuing is null ? null : new PinVerificationKeyRing(issuing, others);
    }

    /// <summary>Stores <paramref name="ring"/> in place of the PVKs held, inside the caller's transaction.</summary>
    public async Task SaveAsync(NpgsqlConnection connection, PinVerificationKeyRing ring, CancellationToken cancellationToken)
    {
        await using (var delete = new NpgsqlCommand("DELETE FROM host_keys WHERE id LIKE $1", connection))
        {
            delete.Parameters.Add(new NpgsqlParameter { Value = OtherIdPrefix + "%" });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await PostgreSqlBootstrap.SavePinVerificationKeyAsync(connection, protector, ring.Issuing, cancellationToken);
        foreach (var key in ring.Others)
        {
            var id = OtherIdPrefix + key.Index.ToString(CultureInfo.InvariantCulture);
            await using var insert = new NpgsqlCommand("INSERT INTO host_keys (id, key, key_index) VALUES ($1, $2, $3)", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = id });
            insert.Parameters.Add(new NpgsqlParameter { Value = protector.Protect(key.Key, "host/" + id) });
            insert.Parameters.Add(new NpgsqlParameter { Value = key.Index });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// One transaction: locks the PVK rows (so two imports take turns), counts the cards under the key's PVKI, applies
    /// <see cref="PinVerificationKeyRing.Import"/> and stores the result.
    /// </summary>
    public async Task<PinVerificationKeyRing> ImportAsync(PinVerificationKey key, CancellationToken cancellationToken)
    {
        await using var connection = await PostgreSqlConnections.OpenDurableAsync(dataSource, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var held = await ReadAsync(connection, forUpdate: true, cancellationToken)
            ?? throw new InvalidOperationException("The ledger holds no PIN verification key.");
        var ring = held.Import(key, await CountCardsAsync(connection, key.Index, cancellationToken));
        await SaveAsync(connection, ring, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ring;
    }

    /// <summary>The PVKs as stored, and how many cards name each PVKI.</summary>
    public Task<(PinVerificationKeyRing Ring, IReadOnlyDictionary<int, int> CardsByIndex)> ReadWithCardCountsAsync(CancellationToken cancellationToken) =>
        PostgreSqlRetry.RetryingAsync<(PinVerificationKeyRing, IReadOnlyDictionary<int, int>)>(
            async token =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(token);
                var ring = await ReadAsync(connection, forUpdate: false, token) ?? throw new InvalidOperationException("The ledger holds no PIN verification key.");
                var counts = new Dictionary<int, int>();
                await using var command = new NpgsqlCommand("SELECT pvki, count(*) FROM cards GROUP BY pvki", connection);
                await using var reader = await command.ExecuteReaderAsync(token);
                while (await reader.ReadAsync(token))
                {
                    counts[reader.GetInt32(0)] = (int)reader.GetInt64(1);
                }

                return (ring, counts);
            },
            cancellationToken);

    public static async Task<int> CountCardsAsync(NpgsqlConnection connection, int pvki, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM cards WHERE pvki = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = pvki });
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
