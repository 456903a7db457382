using System.Data.Common;
using SocketAtm.Server.Ledger.KeyProtection;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// A <c>terminals</c> row as read (<see cref="Columns"/>), its keys still under the KEK: a batch reads the rows of all its
/// terminals but decrypts only those whose keys changed since the session read them.
/// </summary>
internal sealed record TerminalRow(
    string TerminalId,
    long KeyVersion,
    bool Enabled,
    bool RequiresMac,
    string MasterKey,
    string PinKey,
    string MacKey,
    string? PreviousPinKey,
    string? PreviousMacKey,
    long? PreviousKeysValidUntil,
    string? PendingPinKey,
    string? PendingMacKey,
    long? LastKeyExchangeAt,
    int? LastKeyExchangeStan)
{
    public const string Columns =
        "terminal_id, key_version, enabled, requires_mac, master_key, pin_key, mac_key, previous_pin_key, previous_mac_key, previous_keys_valid_until, "
        + "pending_pin_key, pending_mac_key, last_key_exchange_at, last_key_exchange_stan";

    public static TerminalRow Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        reader.GetBoolean(2),
        reader.GetBoolean(3),
        reader.GetString(4),
        reader.GetString(5),
        reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetInt64(9),
        reader.IsDBNull(10) ? null : reader.GetString(10),
        reader.IsDBNull(11) ? null : reader.GetString(11),
        reader.IsDBNull(12) ? null : reader.GetInt64(12),
        reader.IsDBNull(13) ? null : reader.GetInt32(13));

    public TerminalRecord Decrypt(KeyProtector protector) => new()
    {
        TerminalId = TerminalId,
        KeyVersion = KeyVersion,
        Enabled = Enabled,
        RequiresMac = RequiresMac,
        MasterKey = protector.Unprotect(MasterKey, KeyProtector.TerminalKeyPurpose(TerminalId, "TMK")),
        PinKey = protector.Unprotect(PinKey, KeyProtector.TerminalKeyPurpose(TerminalId, "TPK")),
        MacKey = protector.Unprotect(MacKey, KeyProtector.TerminalKeyPurpose(TerminalId, "TAK")),
        PreviousKeys = PreviousPinKey is null || PreviousMacKey is null || PreviousKeysValidUntil is not { } validUntil
            ? null
            : new PreviousWorkingKeys(
                protector.Unprotect(PreviousPinKey, KeyProtector.TerminalKeyPurpose(TerminalId, "previous TPK")),
                protector.Unprotect(PreviousMacKey, KeyProtector.TerminalKeyPurpose(TerminalId, "previous TAK")),
                DateTimeOffset.FromUnixTimeMilliseconds(validUntil)),
        PendingKeys = PendingPinKey is null || PendingMacKey is null
            ? null
            : new PendingWorkingKeys(
                protector.Unprotect(PendingPinKey, KeyProtector.TerminalKeyPurpose(TerminalId, "pending TPK")),
                protector.Unprotect(PendingMacKey, KeyProtector.TerminalKeyPurpose(TerminalId, "pending TAK"))),
        LastKeyExchange = LastKeyExchangeAt is { } at && LastKeyExchangeStan is { } stan
            ? new KeyExchangeRequest(DateTimeOffset.FromUnixTimeMilliseconds(at), stan)
            : null,
    };
}
