namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// Turns a database of today's schema back into what a host of schema version 2 left, for the tests that prove each later
/// migration on such a database. Every column a migration after version 2 adds is dropped here, in one place, so that a
/// new migration is added once and every older-schema test keeps starting from a true version 2.
/// </summary>
internal static class VersionTwoSchema
{
    public const string Downgrade =
        // Migration 3: reversals matched to their originals.
        "ALTER TABLE idempotency_keys DROP COLUMN pan_digest, DROP COLUMN amount, DROP COLUMN marker_pan_digest, DROP COLUMN marker_amount; "
        // Migration 4: repeat retention (its index goes with the column).
        + "ALTER TABLE idempotency_keys DROP COLUMN at_ms; "
        // Migration 5: pending keys and the journal's detail.
        + "ALTER TABLE terminals DROP COLUMN pending_pin_key, DROP COLUMN pending_mac_key; ALTER TABLE journal DROP COLUMN detail; "
        // Migration 6: cards' service codes (the CVK a host adds at open is in host_keys, which version 2 had).
        + "ALTER TABLE cards DROP COLUMN service_code; DELETE FROM host_keys WHERE id = 'CVK'; "
        // Migration 7: terminals' last key exchange.
        + "ALTER TABLE terminals DROP COLUMN last_key_exchange_at, DROP COLUMN last_key_exchange_stan; "
        // Migration 8: the acquirer's forwarded records and book (their indexes go with the columns).
        + "ALTER TABLE idempotency_keys DROP COLUMN forward_route, DROP COLUMN forward_stan, DROP COLUMN forward_transmission, DROP COLUMN forward_state, "
        + "DROP COLUMN forward_account_type, DROP COLUMN forward_currency, DROP COLUMN forward_pan, DROP COLUMN terminal_reversal_key, "
        + "DROP COLUMN terminal_dispensed, DROP COLUMN reversal_reason, DROP COLUMN reversal_dispensed, DROP COLUMN reversal_owed_at_ms, "
        + "DROP COLUMN reversal_acknowledged, " + Version8SchemaTests.DropSafColumns + "; ALTER TABLE journal DROP COLUMN upstream_route, DROP COLUMN upstream_reference, DROP COLUMN upstream_amount; "
        + "DELETE FROM schema_version; INSERT INTO schema_version VALUES (2);";
}
