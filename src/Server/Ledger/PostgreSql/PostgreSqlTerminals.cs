using Npgsql;
using SocketAtm.Server.Ledger.KeyProtection;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// The <c>terminals</c> table: terminals read, registered, given pending working keys and those keys made current. Their keys are stored under the
/// KEK; every write of a row advances its key version, which tells a cached record from a newer one.
/// </summary>
internal sealed class PostgreSqlTerminals(NpgsqlDataSource dataSource, KeyProtector protector)
{
    /// <summary>The terminal as stored now, or null when it is not registered.</summary>
    public Task<TerminalRecord?> FindAsync(string terminalId, CancellationToken cancellationToken) =>
        PostgreSqlRetry.RetryingAsync(
            async token =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(token);
                return await ReadAsync(connection, terminalId, forUpdate: false, token);
            },
            cancellationToken);

    /// <summary>
    /// Stores a newly registered terminal, replacing one of its id when <paramref name="replace"/>; returns it with the key
    /// version stored. Without <paramref name="replace"/>, an id already registered is
    /// <see cref="TerminalAlreadyRegisteredException"/> and its row is left as it is (one statement: no race with another
    /// admin registering the same id).
    /// </summary>
    public async Task<TerminalRecord> RegisterAsync(TerminalRecord terminal, bool replace, CancellationToken cancellationToken)
    {
        await using var connection = await PostgreSqlConnections.OpenDurableAsync(dataSource, cancellationToken);
        var version = await WriteAsync(connection, terminal, replace, cancellationToken)
            ?? throw new TerminalAlreadyRegisteredException(terminal.TerminalId);
        return terminal with { KeyVersion = version };
    }

    /// <summary>
    /// In one transaction, with the row locked: applies <paramref name="change"/> to the terminal as stored and stores
    /// the result unless it is the record given; returns what is stored, or null when the terminal is not registered.
    /// Run again after a transient failure: an attempt that committed but lost its answer finds its change already made
    /// (keys already pending, or already current), which <paramref name="change"/> leaves as it is.
    /// </summary>
    public Task<TerminalRecord?> ChangeKeysAsync(string terminalId, Func<TerminalRecord, TerminalRecord> change, CancellationToken cancellationToken) =>
        PostgreSqlRetry.RetryingAsync(token => ReplaceKeysAsync(terminalId, change, token), cancellationToken);

    /// <summary>Stores the terminal; returns its key version, which every write of the row advances.</summary>
    public async Task<long> UpsertAsync(NpgsqlConnection connection, TerminalRecord terminal, CancellationToken cancellationToken) =>
        (await WriteAsync(connection, terminal, replace: true, cancellationToken))!.Value;

    /// <summary>Inserts the terminal, or replaces the row of its id when <paramref name="replace"/>; its key version, or null when the id was taken and kept.</summary>
    private async Task<long?> WriteAsync(NpgsqlConnection connection, TerminalRecord terminal, bool replace, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO terminals (terminal_id, enabled, requires_mac, master_key, pin_key, mac_key, previous_pin_key, previous_mac_key, "
            + "previous_keys_valid_until, pending_pin_key, pending_mac_key, last_key_exchange_at, last_key_exchange_stan) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
            + (replace
                ? "ON CONFLICT (terminal_id) DO UPDATE SET "
                    + "enabled = excluded.enabled, requires_mac = excluded.requires_mac, master_key = excluded.master_key, pin_key = excluded.pin_key, "
                    + "mac_key = excluded.mac_key, previous_pin_key = excluded.previous_pin_key, previous_mac_key = excluded.previous_mac_key, "
                    + "previous_keys_valid_until = excluded.previous_keys_valid_until, pending_pin_key = excluded.pending_pin_key, "
                    + "pending_mac_key = excluded.pending_mac_key, last_key_exchange_at = excluded.last_key_exchange_at, "
                    + "last_key_exchange_stan = excluded.last_key_exchange_stan, key_version = terminals.key_version + 1"
                : "ON CONFLICT (terminal_id) DO NOTHING")
            + " RETURNING key_version",
            connection);
        var id = terminal.TerminalId;
        var previous = terminal.PreviousKeys;
        var pending = terminal.PendingKeys;
        foreach (var value in new object?[]
        {
            id,
            terminal.Enabled,
            terminal.RequiresMac,
            protector.Protect(terminal.MasterKey, KeyProtector.TerminalKeyPurpose(id, "TMK")),
            protector.Protect(terminal.PinKey, KeyProtector.TerminalKeyPurpose(id, "TPK")),
            protector.Protect(terminal.MacKey, KeyProtector.TerminalKeyPurpose(id, "TAK")),
            previous is null ? null : protector.Protect(previous.PinKey, KeyProtector.TerminalKeyPurpose(id, "previous TPK")),
            previous is null ? null : protector.Protect(previous.MacKey, KeyProtector.TerminalKeyPurpose(id, "previous TAK")),
            previous?.ValidUntil.ToUnixTimeMilliseconds(),
            pending is null ? null : protector.Protect(pending.PinKey, KeyProtector.TerminalKeyPurpose(id, "pending TPK")),
            pending is null ? null : protector.Protect(pending.MacKey, KeyProtector.TerminalKeyPurpose(id, "pending TAK")),
            terminal.LastKeyExchange?.TransmittedAt.ToUnixTimeMilliseconds(),
            terminal.LastKeyExchange?.Stan,
        })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return await command.ExecuteScalarAsync(cancellationToken) is long version ? version : null;
    }

    private async Task<TerminalRecord?> ReplaceKeysAsync(string terminalId, Func<TerminalRecord, TerminalRecord> change, CancellationToken cancellationToken)
    {
        await using var connection = await PostgreSqlConnections.OpenDurableAsync(dataSource, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await ReadAsync(connection, terminalId, forUpdate: true, cancellationToken) is not { } terminal)
        {
            return null;
        }

        var changed = change(terminal);
        if (ReferenceEquals(changed, terminal))
        {
            return terminal;
        }

        changed = changed with { KeyVersion = await UpsertAsync(connection, changed, cancellationToken) };
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    private async Task<TerminalRecord?> ReadAsync(NpgsqlConnection connection, string terminalId, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {TerminalRow.Columns} FROM terminals WHERE terminal_id = $1" + (forUpdate ? " FOR UPDATE" : string.Empty), connection);
        command.Parameters.Add(new NpgsqlParameter { Value = terminalId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? TerminalRow.Read(reader).Decrypt(protector) : null;
    }
}
