using Npgsql;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Ledger.Writer;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// The SQL of one batch attempt, in its two round trips: the first opens the transaction, claims the batch's idempotency
/// keys and locks and reads every row its requests can reach; the second, once the batch is decided in memory, writes
/// each changed row once and commits. The lock order and why it keeps hosts from deadlocking one another are on
/// <see cref="PostgreSqlBatchWriter"/>.
/// </summary>
internal static class BatchRoundTrips
{
    /// <summary>Opens the batch's transaction, claims, locks and reads its rows into <paramref name="unit"/>; returns the backend it runs on.</summary>
    public static async Task<AttemptBackend> LoadAsync(
        NpgsqlConnection connection, List<RequestWork> batch, PostgreSqlUnitOfWork unit, KeyProtector protector, DateTimeOffset now)
    {
        var pansByDigest = new Dictionary<string, string>(StringComparer.Ordinal);
        var claims = new SortedSet<string>(StringComparer.Ordinal);
        var originals = new HashSet<string>(StringComparer.Ordinal);
        var standInDigests = new SortedSet<string>(StringComparer.Ordinal);
        var pinTerminals = new HashSet<string>(StringComparer.Ordinal);
        foreach (var work in batch)
        {
            var request = work.Request;
            claims.Add(request.Key.ToString());
            if (request.EncryptedPinBlock is not null)
            {
                pinTerminals.Add(request.Key.TerminalId);
            }

            if (request.OriginalKey is { } original)
            {
                claims.Add(original.ToString());
                originals.Add(original.ToString());
            }

            if (!string.IsNullOrEmpty(request.Pan))
            {
                pansByDigest.TryAdd(protector.PanDigest(request.Pan), request.Pan);
                if (request.Upstream is Acquiring.StandInDecision)
                {
                    standInDigests.Add(protector.PanDigest(request.Pan));
                }
            }
        }

        var claimKeys = claims.ToArray();
        var originalKeys = originals.ToArray();
        var digests = pansByDigest.Keys.ToArray();
        await using var load = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL READ COMMITTED"),
                BatchCommand.Of(
                    $"INSERT INTO idempotency_keys (key, state) SELECT k, {PostgreSqlSchema.Claimed} FROM unnest($1::text[]) AS k ORDER BY k "
                    + "ON CONFLICT (key) DO NOTHING RETURNING key",
                    (object)claimKeys),
                BatchCommand.Of(
                    $"SELECT {PostgreSqlRows.IdempotencyColumns} FROM idempotency_keys WHERE key = ANY($1) AND state <> {PostgreSqlSchema.Claimed} "
                    + "ORDER BY key FOR UPDATE",
                    (object)claimKeys),
                BatchCommand.Of(
                    $"SELECT {PostgreSqlRows.AccountColumns} FROM accounts WHERE id IN ("
                    + "SELECT unnest(account_ids) FROM cards WHERE pan_digest = ANY($1) "
                    + $"UNION SELECT account_id FROM idempotency_keys WHERE key = ANY($2) AND state = {PostgreSqlSchema.Decided} AND account_id IS NOT NULL) "
                    + "ORDER BY id FOR UPDATE",
                    digests,
                    originalKeys),
                BatchCommand.Of($"SELECT {PostgreSqlRows.CardColumns} FROM cards WHERE pan_digest = ANY($1) ORDER BY id FOR UPDATE", (object)digests),
                BatchCommand.Of(
                    $"SELECT {PostgreSqlRows.UsageColumns} FROM daily_usage WHERE (card_id, day) IN ("
                    + "SELECT id, $2 FROM cards WHERE pan_digest = ANY($1) "
                    + $"UNION SELECT card_id, usage_day FROM idempotency_keys WHERE key = ANY($3) AND state = {PostgreSqlSchema.Decided} AND card_id IS NOT NULL) "
                    + "ORDER BY card_id, day FOR UPDATE",
                    digests,
                    DailyUsageRecord.BusinessDay(now),
                    originalKeys),
                // Not locked: a key exchange commits before its answer leaves, so a PIN block under its keys can only reach
                // a batch that reads them here; read in this transaction, they are the keys a PIN try may count against.
                BatchCommand.Of($"SELECT {TerminalRow.Columns} FROM terminals WHERE terminal_id = ANY($1)", (object)pinTerminals.ToArray()),
                new NpgsqlBatchCommand(CommittedBatches.AttemptBackendQuery),
            },
        };
        if (standInDigests.Count > 0)
        {
            // Only a batch deciding in stand-in (its route down): a card's stand-in usage may have no row yet, so a row lock
            // cannot serialize two hosts on it; an advisory lock per card does, taken in digest order, after every row lock.
            // The read is a statement of its own, so that its snapshot is taken once the locks are held: it sees what
            // the host that held them before committed.
            load.BatchCommands.Insert(load.BatchCommands.Count - 1, BatchCommand.Of(
                "SELECT count(pg_advisory_xact_lock(hashtextextended('socketatm.standin/' || d, 0))) FROM (SELECT d FROM unnest($1::text[]) AS d ORDER BY d) AS cards",
                (object)standInDigests.ToArray()));
            load.BatchCommands.Insert(load.BatchCommands.Count - 1, BatchCommand.Of(
                "SELECT route, pan_digest, day, amount, count FROM standin_usage WHERE pan_digest = ANY($1) AND day = $2",
                standInDigests.ToArray(),
                DailyUsageRecord.BusinessDay(now)));
        }

        // BEGIN returns no rows, so the reader starts at the claims.
        await using var reader = await load.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            unit.ClaimedKeys.Add(reader.GetString(0));
        }

        await reader.NextResultAsync();
        while (await reader.ReadAsync())
        {
            if (PostgreSqlRows.State(reader) == PostgreSqlSchema.Marker)
            {
                unit.LoadMarker(PostgreSqlRows.ToMarker(reader));
            }
            else
            {
                unit.LoadDecided(PostgreSqlRows.ToDecided(reader));
            }
        }

        foreach (var key in claimKeys)
        {
            // Neither claimed nor stored: pruned between the claim and this read. Deciding the request as new would write a
            // row the batch does not hold; running the batch again claims it.
            if (!unit.ClaimedKeys.Contains(key) && unit.FindIdempotency(key) is null && unit.FindReversalMarker(key) is null)
            {
                throw new PrunedDuringBatchException();
            }
        }

        await reader.NextResultAsync();
        while (await reader.ReadAsync())
        {
            unit.LoadAccount(PostgreSqlRows.ToAccount(reader));
        }

        await reader.NextResultAsync();
        while (await reader.ReadAsync())
        {
            unit.LoadCard(PostgreSqlRows.ToCard(reader, pansByDigest[PostgreSqlRows.CardDigest(reader)]));
        }

        await reader.NextResultAsync();
        while (await reader.ReadAsync())
        {
            unit.LoadDailyUsage(PostgreSqlRows.ToUsage(reader));
        }

        await reader.NextResultAsync();
        while (await reader.ReadAsync())
        {
            unit.LoadTerminal(TerminalRow.Read(reader));
        }

        if (standInDigests.Count > 0)
        {
            await reader.NextResultAsync(); // the locks
            await reader.NextResultAsync();
            while (await reader.ReadAsync())
            {
                unit.LoadStandInUsage(new StandInUsageRecord(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt32(4)));
            }
        }

        await reader.NextResultAsync();
        await reader.ReadAsync();
        return new AttemptBackend(reader.GetInt32(0), reader.GetDateTime(1));
    }

    /// <summary>
    /// The upstream side of the batch's forwarded decisions (after the statement that stored them as decided): every column of
    /// it, with its final value. Only a forwarded record has one, so an on-us batch sends no statement for it.
    /// </summary>
    private static void AddForwardings(NpgsqlBatch write, List<IdempotencyRecord> decisions)
    {
        var forwarded = decisions.Where(record => record.Forwarding is not null).ToList();
        if (forwarded.Count == 0)
        {
            return;
        }

        var sides = forwarded.Select(record => record.Forwarding!).ToList();
        write.BatchCommands.Add(BatchCommand.Of(
            "UPDATE idempotency_keys AS i SET forward_route = v.route, forward_stan = v.stan, forward_transmission = v.transmission, "
            + "forward_state = v.state, forward_account_type = v.account_type, forward_currency = v.currency, forward_pan = v.pan, "
            + "terminal_reversal_key = v.terminal_reversal_key, terminal_dispensed = v.terminal_dispensed, reversal_reason = v.reversal_reason, "
            + "reversal_dispensed = v.reversal_dispensed, reversal_owed_at_ms = v.owed_at, reversal_acknowledged = v.acknowledged, "
            + "saf_attempts = v.saf_attempts, saf_claimed_by = v.saf_claimed_by, saf_claimed_until_ms = v.saf_claimed_until, "
            + "saf_next_attempt_ms = v.saf_next_attempt, saf_last_result = v.saf_last_result, saf_refused = v.saf_refused, "
            + "advice_owed_at_ms = v.advice_owed_at, advice_acknowledged = v.advice_acknowledged "
            + "FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::integer[], $7::integer[], $8::text[], $9::text[], "
            + "$10::bigint[], $11::text[], $12::bigint[], $13::bigint[], $14::text[], $15::integer[], $16::text[], $17::bigint[], $18::bigint[], "
            + "$19::text[], $20::text[], $21::bigint[], $22::text[]) "
            + "AS v(key, route, stan, transmission, state, account_type, currency, pan, terminal_reversal_key, terminal_dispensed, "
            + "reversal_reason, reversal_dispensed, owed_at, acknowledged, saf_attempts, saf_claimed_by, saf_claimed_until, saf_next_attempt, "
            + "saf_last_result, saf_refused, advice_owed_at, advice_acknowledged) "
            + $"WHERE i.key = v.key AND i.state = {PostgreSqlSchema.Decided}",
            forwarded.Select(record => record.Key).ToArray(),
            sides.Select(side => side.Route).ToArray(),
            sides.Select(side => side.AcquirerStan).ToArray(),
            sides.Select(side => side.AcquirerTransmission).ToArray(),
            sides.Select(side => side.State.ToString()).ToArray(),
            sides.Select(side => (int)side.AccountType).ToArray(),
            sides.Select(side => side.Currency).ToArray(),
            sides.Select(side => side.SealedPan).ToArray(),
            sides.Select(side => side.TerminalReversalKey).ToArray(),
            sides.Select(side => side.TerminalDispensed).ToArray(),
            sides.Select(side => side.ReversalReason).ToArray(),
            sides.Select(side => side.ReversalDispensed).ToArray(),
            sides.Select(side => side.ReversalOwedAtUnixMilliseconds).ToArray(),
            sides.Select(side => side.ReversalAcknowledged).ToArray(),
            sides.Select(side => side.Saf.Attempts).ToArray(),
            sides.Select(side => side.Saf.ClaimedBy).ToArray(),
            sides.Select(side => side.Saf.ClaimedUntilUnixMilliseconds).ToArray(),
            sides.Select(side => side.Saf.NextAttemptUnixMilliseconds).ToArray(),
            sides.Select(side => side.Saf.LastResult).ToArray(),
            sides.Select(side => side.Saf.RefusedWith).ToArray(),
            sides.Select(side => side.AdviceOwedAtUnixMilliseconds).ToArray(),
            sides.Select(side => side.AdviceAcknowledged).ToArray()));
    }

    /// <summary>Writes every row the batch changed, with its final value, records the batch's token and commits, in one round trip.</summary>
    public static async Task WriteAndCommitAsync(NpgsqlConnection connection, PostgreSqlUnitOfWork unit, Guid token)
    {
        await using var write = new NpgsqlBatch(connection);

        write.BatchCommands.Add(new NpgsqlBatchCommand(DurableCommits.ForTransaction));
        var cards = unit.ChangedCards.ToList();
        if (cards.Count > 0)
        {
            write.BatchCommands.Add(BatchCommand.Of(
                "UPDATE cards AS c SET status = v.status, pin_tries = v.pin_tries "
                + "FROM unnest($1::bigint[], $2::text[], $3::integer[]) AS v(id, status, pin_tries) WHERE c.id = v.id",
                cards.Select(card => card.Id).ToArray(),
                cards.Select(card => card.Status.ToString()).ToArray(),
                cards.Select(card => card.PinTries).ToArray()));
        }

        var accounts = unit.ChangedAccounts.ToList();
        if (accounts.Count > 0)
        {
            // The accounts are locked, so each still holds the balance the batch read; the assertion proves it.
            write.BatchCommands.Add(BatchCommand.Of(
                "WITH changed AS (UPDATE accounts AS a SET balance = v.balance "
                + "FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS v(id, loaded, balance) "
                + "WHERE a.id = v.id AND a.balance = v.loaded RETURNING a.id) "
                + "SELECT ledger_assert((SELECT count(*) FROM changed) = $4, 'an account balance moved under its batch')",
                accounts.Select(pair => pair.Account.Id).ToArray(),
                accounts.Select(pair => pair.LoadedBalance).ToArray(),
                accounts.Select(pair => pair.Account.Balance).ToArray(),
                (long)accounts.Count));
        }

        var usage = unit.ChangedUsage.ToList();
        if (usage.Count > 0)
        {
            write.BatchCommands.Add(BatchCommand.Of(
                "INSERT INTO daily_usage (card_id, day, amount, count) "
                + "SELECT * FROM unnest($1::bigint[], $2::integer[], $3::bigint[], $4::integer[]) "
                + "ON CONFLICT (card_id, day) DO UPDATE SET amount = excluded.amount, count = excluded.count",
                usage.Select(row => row.CardId).ToArray(),
                usage.Select(row => row.Day).ToArray(),
                usage.Select(row => row.Amount).ToArray(),
                usage.Select(row => row.Count).ToArray()));
        }

        var standInUsage = unit.ChangedStandInUsage.ToList();
        if (standInUsage.Count > 0)
        {
            write.BatchCommands.Add(BatchCommand.Of(
                "INSERT INTO standin_usage (route, pan_digest, day, amount, count) "
                + "SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::bigint[], $5::integer[]) "
                + "ON CONFLICT (route, pan_digest, day) DO UPDATE SET amount = excluded.amount, count = excluded.count",
                standInUsage.Select(row => row.Route).ToArray(),
                standInUsage.Select(row => row.PanDigest).ToArray(),
                standInUsage.Select(row => row.Day).ToArray(),
                standInUsage.Select(row => row.Amount).ToArray(),
                standInUsage.Select(row => row.Count).ToArray()));
        }

        var decisions = unit.ChangedDecisions.ToList();
        if (decisions.Count > 0)
        {
            write.BatchCommands.Add(BatchCommand.Of(
                $"WITH changed AS (UPDATE idempotency_keys AS i SET state = {PostgreSqlSchema.Decided}, kind = v.kind, mti = v.mti, "
                + "journal_id = v.journal_id, response_code = v.response_code, authorization_id = v.authorization_id, "
                + "retrieval_reference = v.retrieval_reference, account_type = v.account_type, ledger_balance = v.ledger_balance, "
                + "available_balance = v.available_balance, currency = v.currency, masked_pan = v.masked_pan, card_id = v.card_id, "
                + "account_id = v.account_id, applied_amount = v.applied_amount, usage_day = v.usage_day, reversed_by_key = v.reversed_by_key, "
                + "pan_digest = v.pan_digest, amount = v.amount, at_ms = v.at_ms, "
                + "marker_reversal_key = NULL, marker_at_ms = NULL, marker_pan_digest = NULL, marker_amount = NULL "
                + "FROM unnest($1::text[], $2::text[], $3::integer[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::integer[], "
                + "$9::bigint[], $10::bigint[], $11::integer[], $12::text[], $13::bigint[], $14::bigint[], $15::bigint[], $16::integer[], $17::text[], "
                + "$18::text[], $19::bigint[], $20::bigint[]) "
                + "AS v(key, kind, mti, journal_id, response_code, authorization_id, retrieval_reference, account_type, ledger_balance, "
                + "available_balance, currency, masked_pan, card_id, account_id, applied_amount, usage_day, reversed_by_key, pan_digest, amount, at_ms) "
                + "WHERE i.key = v.key RETURNING i.key) "
                + "SELECT ledger_assert((SELECT count(*) FROM changed) = $21, 'a decided key was neither claimed nor stored')",
                decisions.Select(record => record.Key).ToArray(),
                decisions.Select(record => record.Kind.ToString()).ToArray(),
                decisions.Select(record => record.Mti).ToArray(),
                decisions.Select(record => record.JournalId).ToArray(),
                decisions.Select(record => record.Outcome.ResponseCode).ToArray(),
                decisions.Select(record => record.Outcome.AuthorizationId).ToArray(),
                decisions.Select(record => record.Outcome.RetrievalReference).ToArray(),
                decisions.Select(record => (int)record.Outcome.AccountType).ToArray(),
                decisions.Select(record => record.Outcome.LedgerBalance).ToArray(),
                decisions.Select(record => record.Outcome.AvailableBalance).ToArray(),
                decisions.Select(record => record.Outcome.Currency).ToArray(),
                decisions.Select(record => record.MaskedPan).ToArray(),
                decisions.Select(record => record.CardId).ToArray(),
                decisions.Select(record => record.AccountId).ToArray(),
                decisions.Select(record => record.AppliedAmount).ToArray(),
                decisions.Select(record => record.UsageDay).ToArray(),
                decisions.Select(record => record.ReversedByKey).ToArray(),
                decisions.Select(record => record.PanDigest).ToArray(),
                decisions.Select(record => record.Amount).ToArray(),
                decisions.Select(record => record.DecidedAtUnixMilliseconds).ToArray(),
                (long)decisions.Count));
            AddForwardings(write, decisions);
        }

        var markers = unit.NewMarkers.ToList();
        if (markers.Count > 0)
        {
            write.BatchCommands.Add(BatchCommand.Of(
                $"UPDATE idempotency_keys AS i SET state = {PostgreSqlSchema.Marker}, marker_reversal_key = v.reversal_key, marker_at_ms = v.at_ms, "
                + "at_ms = v.at_ms, marker_pan_digest = v.pan_digest, marker_amount = v.amount "
                + "FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[]) AS v(key, reversal_key, at_ms, pan_digest, amount) "
                + "WHERE i.key = v.key",
                markers.Select(marker => marker.OriginalKey).ToArray(),
                markers.Select(marker => marker.ReversalKey).ToArray(),
                markers.Select(marker => marker.AtUnixMilliseconds).ToArray(),
                markers.Select(marker => marker.PanDigest).ToArray(),
                markers.Select(marker => marker.Amount).ToArray()));
        }

        var changedMarkers = unit.ChangedMarkers.ToList();
        if (changedMarkers.Count > 0)
        {
            // Loaded FOR UPDATE by this batch, so still the markers it read.
            write.BatchCommands.Add(BatchCommand.Of(
                "UPDATE idempotency_keys AS i SET marker_pan_digest = v.pan_digest, marker_amount = v.amount "
                + $"FROM unnest($1::text[], $2::text[], $3::bigint[]) AS v(key, pan_digest, amount) WHERE i.key = v.key AND i.state = {PostgreSqlSchema.Marker}",
                changedMarkers.Select(marker => marker.OriginalKey).ToArray(),
                changedMarkers.Select(marker => marker.PanDigest).ToArray(),
                changedMarkers.Select(marker => marker.Amount).ToArray()));
        }

        var unused = unit.UnusedClaims.ToArray();
        if (unused.Length > 0)
        {
            write.BatchCommands.Add(BatchCommand.Of($"DELETE FROM idempotency_keys WHERE key = ANY($1) AND state = {PostgreSqlSchema.Claimed}", (object)unused));
        }

        var journal = unit.Journal;
        if (journal.Count > 0)
        {
            write.BatchCommands.Add(BatchCommand.Of(
                $"INSERT INTO journal ({PostgreSqlRows.JournalColumns}) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], "
                + "$4::integer[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], "
                + "$13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::bigint[])",
                journal.Select(entry => entry.Id).ToArray(),
                journal.Select(entry => entry.AtUnixMilliseconds).ToArray(),
                journal.Select(entry => entry.Key).ToArray(),
                journal.Select(entry => entry.Mti).ToArray(),
                journal.Select(entry => entry.Kind.ToString()).ToArray(),
                journal.Select(entry => entry.Disposition.ToString()).ToArray(),
                journal.Select(entry => entry.TerminalId).ToArray(),
                journal.Select(entry => entry.MaskedPan).ToArray(),
                journal.Select(entry => entry.CardId).ToArray(),
                journal.Select(entry => entry.AccountId).ToArray(),
                journal.Select(entry => entry.Amount).ToArray(),
                journal.Select(entry => entry.Delta).ToArray(),
                journal.Select(entry => entry.ResponseCode).ToArray(),
                journal.Select(entry => entry.AuthorizationId).ToArray(),
                journal.Select(entry => entry.RetrievalReference).ToArray(),
                journal.Select(entry => entry.Detail).ToArray(),
                journal.Select(entry => entry.Upstream?.Route).ToArray(),
                journal.Select(entry => entry.Upstream?.RetrievalReference).ToArray(),
                journal.Select(entry => entry.Upstream?.Amount).ToArray()));
        }

        write.BatchCommands.Add(CommittedBatches.Record(token));
        write.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await write.ExecuteNonQueryAsync();
    }
}
