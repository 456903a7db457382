namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// The ledger's tables, as numbered migrations. A host applies those the database lacks at start, under an advisory
/// lock, so hosts starting together migrate (and seed) once: the others wait on the lock and then find the work done.
/// </summary>
internal static class PostgreSqlSchema
{
    /// <summary>Key of the advisory lock held while migrating and seeding ("SockAtm1" as a number).</summary>
    public const long MigrationLockKey = 0x536F636B41746D31;

    /// <summary>Key of the advisory lock the host pruning expired stored answers holds ("SockAtm2"): one host prunes at a time.</summary>
    public const long PruningLockKey = 0x536F636B41746D32;

    /// <summary>
    /// Ids (journal rows, RRNs, authorization ids) come in blocks of this many from <c>ledger_id_blocks</c>: a host takes
    /// a block, then hands out its ids without asking the database, and no two hosts ever share an id.
    /// </summary>
    public const long IdBlockSize = 65_536;

    /// <summary>Idempotency row states: claimed by a batch still deciding (never committed), decided, reversal marker.</summary>
    public const short Claimed = 0;
    public const short Decided = 1;
    public const short Marker = 2;

    /// <summary>Migration n (1-based) brings the schema from version n−1 to n. Never edit one that has shipped: add another.</summary>
    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE accounts (
            id bigint PRIMARY KEY,
            type integer NOT NULL,
            currency integer NOT NULL,
            opening_balance bigint NOT NULL,
            balance bigint NOT NULL CHECK (balance >= 0));
        CREATE TABLE cards (
            id bigint PRIMARY KEY,
            pan_digest text NOT NULL UNIQUE,
            masked_pan text NOT NULL,
            pvv text NOT NULL,
            pvki integer NOT NULL,
            status text NOT NULL,
            expiry text NOT NULL,
            pin_tries integer NOT NULL,
            daily_amount_limit bigint NOT NULL,
            daily_count_limit integer NOT NULL,
            account_types integer[] NOT NULL,
            account_ids bigint[] NOT NULL);
        CREATE TABLE daily_usage (
            card_id bigint NOT NULL,
            day integer NOT NULL,
            amount bigint NOT NULL,
            count integer NOT NULL,
            PRIMARY KEY (card_id, day));
        CREATE TABLE terminals (
            terminal_id text PRIMARY KEY,
            enabled boolean NOT NULL,
            requires_mac boolean NOT NULL,
            master_key text NOT NULL,
            pin_key text NOT NULL,
            mac_key text NOT NULL,
            previous_pin_key text,
            previous_mac_key text,
            previous_keys_valid_until bigint);
        CREATE TABLE host_keys (
            id text PRIMARY KEY,
            key text NOT NULL,
            key_index integer NOT NULL);
        CREATE TABLE journal (
            id bigint PRIMARY KEY,
            at_ms bigint NOT NULL,
            key text NOT NULL,
            mti integer NOT NULL,
            kind text NOT NULL,
            disposition text NOT NULL,
            terminal_id text NOT NULL,
            masked_pan text NOT NULL,
            card_id bigint,
            account_id bigint,
            amount bigint NOT NULL,
            delta bigint NOT NULL,
            response_code text NOT NULL,
            authorization_id text,
            retrieval_reference text);
        CREATE INDEX journal_terminal ON journal (terminal_id, at_ms);
        CREATE INDEX journal_card ON journal (card_id, at_ms);
        CREATE INDEX journal_key ON journal (key);
        CREATE TABLE idempotency_keys (
            key text PRIMARY KEY,
            state smallint NOT NULL,
            kind text,
            mti integer,
            journal_id bigint,
            response_code text,
            authorization_id text,
            retrieval_reference text,
            account_type integer,
            ledger_balance bigint,
            available_balance bigint,
            currency integer,
            masked_pan text,
            card_id bigint,
            account_id bigint,
            applied_amount bigint,
            usage_day integer,
            reversed_by_key text,
            marker_reversal_key text,
            marker_at_ms bigint);
        CREATE TABLE committed_batches (
            token uuid PRIMARY KEY,
            at_ms bigint NOT NULL);
        CREATE SEQUENCE ledger_id_blocks;
        CREATE SEQUENCE card_ids;
        CREATE SEQUENCE account_ids;
        CREATE FUNCTION ledger_assert(ok boolean, message text) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT ok THEN
                RAISE EXCEPTION 'ledger assertion failed: %', message;
            END IF;
        END
        $$;
        """,
        // Counts each change of a terminal's keys, so that a host tells its cached keys from newer ones (see TerminalRecord.KeyVersion).
        """
        ALTER TABLE terminals ADD COLUMN key_version bigint NOT NULL DEFAULT 1;
        """,
        // A reversal must name its original's card and amount: decisions keep the request's PAN digest (an HMAC, as cards
        // are found by; the PAN is never stored) and DE 4, and markers the reversal's. Existing decisions take DE 4 from
        // their journal row and the digest from their card; markers of older hosts keep none, and refuse any original.
        """
        ALTER TABLE idempotency_keys ADD COLUMN pan_digest text, ADD COLUMN amount bigint,
            ADD COLUMN marker_pan_digest text, ADD COLUMN marker_amount bigint;
        UPDATE idempotency_keys AS i SET amount = j.amount FROM journal AS j WHERE i.state = 1 AND j.id = i.journal_id;
        UPDATE idempotency_keys AS i SET pan_digest = c.pan_digest FROM cards AS c WHERE i.state = 1 AND c.id = i.card_id;
        """,
        // Stored answers and markers are pruned after Ledger:RepeatRetention: each row keeps when it was decided or left
        // (existing decisions take their journal row's time), indexed for the pruning's range scan.
        """
        ALTER TABLE idempotency_keys ADD COLUMN at_ms bigint;
        UPDATE idempotency_keys AS i SET at_ms = j.at_ms FROM journal AS j WHERE i.state = 1 AND j.id = i.journal_id;
        UPDATE idempotency_keys SET at_ms = marker_at_ms WHERE state = 2;
        CREATE INDEX idempotency_keys_at ON idempotency_keys (at_ms);
        """,
        // A key exchange stores its keys as pending until the terminal first uses them (existing rows have none), and the
        // journal records security events' details (the KCVs of keys issued or promoted; existing rows have none).
        """
        ALTER TABLE terminals ADD COLUMN pending_pin_key text, ADD COLUMN pending_mac_key text;
        ALTER TABLE journal ADD COLUMN detail text;
        """,
        // A request's track 2 must carry its card's service code: cards keep it, and those on file get 101, that of every
        // card issued before it was kept. (The CVK, which only a host with the key-encryption key can store, is added at
        // open: see PostgreSqlBootstrap.EnsureCardVerificationKeyAsync.)
        """
        ALTER TABLE cards ADD COLUMN service_code text NOT NULL DEFAULT '101';
        """,
        // A key exchange that is not later than the terminal's last one is refused, and a repeat of the one whose keys are
        // pending gets them again (TerminalRecord.OrderOf): terminals keep their last exchange's DE 7 (ms) and DE 11.
        // Existing rows have none, and their next exchange counts as later.
        """
        ALTER TABLE terminals ADD COLUMN last_key_exchange_at bigint, ADD COLUMN last_key_exchange_stan integer;
        """,
        // The host acquires for other issuers (Ledger/Acquiring): a forwarded request's record keeps its upstream side — route,
        // acquirer DE 11 and DE 7, state, the PAN sealed under the KEK while a reversal may need it, the terminal's reversal,
        // the one reversal owed upstream and its acknowledgement — and journal rows the acquirer's book entry (route, upstream
        // RRN, what the issuer owes). Existing rows were never forwarded: all null. The partial indexes serve the owed list,
        // the restart sweep and the book; pruning skips a record still pending or owing a reversal.
        """
        ALTER TABLE idempotency_keys ADD COLUMN forward_route text, ADD COLUMN forward_stan integer, ADD COLUMN forward_transmission text,
            ADD COLUMN forward_state text, ADD COLUMN forward_account_type integer, ADD COLUMN forward_currency integer,
            ADD COLUMN forward_pan text, ADD COLUMN terminal_reversal_key text, ADD COLUMN terminal_dispensed bigint,
            ADD COLUMN reversal_reason text, ADD COLUMN reversal_dispensed bigint, ADD COLUMN reversal_owed_at_ms bigint,
            ADD COLUMN reversal_acknowledged text;
        CREATE INDEX idempotency_keys_owed ON idempotency_keys (forward_route, reversal_owed_at_ms, key)
            WHERE reversal_reason IS NOT NULL AND reversal_acknowledged IS NULL;
        CREATE INDEX idempotency_keys_pending ON idempotency_keys (at_ms, key) WHERE forward_state = 'Pending';
        ALTER TABLE journal ADD COLUMN upstream_route text, ADD COLUMN upstream_reference text, ADD COLUMN upstream_amount bigint;
        CREATE INDEX journal_upstream ON journal (upstream_route, upstream_reference) WHERE upstream_route IS NOT NULL;
        """,
        // Store-and-forward (PROTOCOL.md §15.6) and stand-in (§15.10, §15.18): the owed message's delivery state — attempts
        // (0420/0220, then repeats), the claim of the host sending it now and until when (a dead host's is taken over after
        // it), the backoff, the last result, and the DE 39 of an issuer's refusal that keeps it as an exception; a stand-in
        // approval's advice, owed and acknowledged; and what each card used in stand-in per route and day. Rows owing a
        // reversal from before were never tried under a claim: zero attempts, unclaimed, due now. The owed indexes serve the
        // queue, exceptions included.
        """
        ALTER TABLE idempotency_keys ADD COLUMN saf_attempts integer NOT NULL DEFAULT 0, ADD COLUMN saf_claimed_by text,
            ADD COLUMN saf_claimed_until_ms bigint NOT NULL DEFAULT 0, ADD COLUMN saf_next_attempt_ms bigint NOT NULL DEFAULT 0,
            ADD COLUMN saf_last_result text, ADD COLUMN saf_refused text,
            ADD COLUMN advice_owed_at_ms bigint, ADD COLUMN advice_acknowledged text;
        CREATE INDEX idempotency_keys_advice_owed ON idempotency_keys (forward_route, advice_owed_at_ms, key)
            WHERE advice_owed_at_ms IS NOT NULL AND advice_acknowledged IS NULL;
        CREATE TABLE standin_usage (
            route text NOT NULL,
            pan_digest text NOT NULL,
            day integer NOT NULL,
            amount bigint NOT NULL,
            count integer NOT NULL,
            PRIMARY KEY (route, pan_digest, day));
        """,
    ];
}
