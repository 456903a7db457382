using System.Data.Common;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// Maps the ledger's rows to records and back, by hand, in one place: each SELECT list here matches its reader.
/// Money is bigint minor units; times are Unix milliseconds; enums are stored by name.
/// </summary>
internal static class PostgreSqlRows
{
    public const string CardColumns =
        "id, pan_digest, pvv, pvki, status, expiry, pin_tries, daily_amount_limit, daily_count_limit, account_types, account_ids, masked_pan, service_code";

    public const string AccountColumns = "id, type, currency, opening_balance, balance";

    public const string UsageColumns = "card_id, day, amount, count";

    public const string IdempotencyColumns =
        "key, state, kind, mti, journal_id, response_code, authorization_id, retrieval_reference, account_type, ledger_balance, "
        + "available_balance, currency, masked_pan, card_id, account_id, applied_amount, usage_day, reversed_by_key, "
        + "marker_reversal_key, marker_at_ms, pan_digest, amount, marker_pan_digest, marker_amount, at_ms, "
        + "forward_route, forward_stan, forward_transmission, forward_state, forward_account_type, forward_currency, forward_pan, "
        + "terminal_reversal_key, terminal_dispensed, reversal_reason, reversal_dispensed, reversal_owed_at_ms, reversal_acknowledged, "
        + "saf_attempts, saf_claimed_by, saf_claimed_until_ms, saf_next_attempt_ms, saf_last_result, saf_refused, "
        + "advice_owed_at_ms, advice_acknowledged";

    public const string JournalColumns =
        "id, at_ms, key, mti, kind, disposition, terminal_id, masked_pan, card_id, account_id, amount, delta, response_code, "
        + "authorization_id, retrieval_reference, detail, upstream_route, upstream_reference, upstream_amount";

    /// <summary>The PAN digest of the row at the reader (column 1 of <see cref="CardColumns"/>).</summary>
    public static string CardDigest(DbDataReader reader) => reader.GetString(1);

    public static CardRecord ToCard(DbDataReader reader, string pan)
    {
        var types = reader.GetFieldValue<int[]>(9);
        var ids = reader.GetFieldValue<long[]>(10);
        return new CardRecord
        {
            Id = reader.GetInt64(0),
            Pan = pan,
            Pvv = reader.GetString(2),
            Pvki = reader.GetInt32(3),
            Status = Enum.Parse<CardStatus>(reader.GetString(4)),
            Expiry = reader.GetString(5),
            ServiceCode = reader.GetString(12),
            PinTries = reader.GetInt32(6),
            DailyAmountLimit = reader.GetInt64(7),
            DailyCountLimit = reader.GetInt32(8),
            Accounts = types.Zip(ids, (type, id) => new LinkedAccount((AccountType)type, id)).ToArray(),
        };
    }

    public static AccountRecord ToAccount(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Type = (AccountType)reader.GetInt32(1),
        Currency = reader.GetInt32(2),
        OpeningBalance = reader.GetInt64(3),
        Balance = reader.GetInt64(4),
    };

    public static DailyUsageRecord ToUsage(DbDataReader reader) => new()
    {
        CardId = reader.GetInt64(0),
        Day = reader.GetInt32(1),
        Amount = reader.GetInt64(2),
        Count = reader.GetInt32(3),
    };

    public static short State(DbDataReader reader) => reader.GetInt16(1);

    public static IdempotencyRecord ToDecided(DbDataReader reader) => new()
    {
        Key = reader.GetString(0),
        Kind = Enum.Parse<TransactionKind>(reader.GetString(2)),
        Mti = reader.GetInt32(3),
        JournalId = reader.GetInt64(4),
        Outcome = new LedgerOutcome
        {
            ResponseCode = reader.GetString(5),
            AuthorizationId = NullableString(reader, 6),
            RetrievalReference = NullableString(reader, 7),
            AccountType = (AccountType)reader.GetInt32(8),
            LedgerBalance = NullableInt64(reader, 9),
            AvailableBalance = NullableInt64(reader, 10),
            Currency = reader.GetInt32(11),
        },
        MaskedPan = reader.GetString(12),
        CardId = NullableInt64(reader, 13),
        AccountId = NullableInt64(reader, 14),
        AppliedAmount = reader.GetInt64(15),
        UsageDay = reader.GetInt32(16),
        ReversedByKey = NullableString(reader, 17),
        PanDigest = NullableString(reader, 20),
        // Filled from the journal by migration 3; a row of an older host that somehow was not names what it applied.
        Amount = NullableInt64(reader, 21) ?? reader.GetInt64(15),
        DecidedAtUnixMilliseconds = NullableInt64(reader, 24) ?? 0,
        Forwarding = ToForwarding(reader),
    };

    /// <summary>The upstream side of a forwarded record (columns 25–45 of <see cref="IdempotencyColumns"/>); null for an on-us one.</summary>
    private static ForwardingRecord? ToForwarding(DbDataReader reader) => reader.IsDBNull(25)
        ? null
        : new ForwardingRecord
        {
            Route = reader.GetString(25),
            AcquirerStan = reader.GetInt32(26),
            AcquirerTransmission = reader.GetString(27),
            State = Enum.Parse<ForwardState>(reader.GetString(28)),
            AccountType = (AccountType)reader.GetInt32(29),
            Currency = reader.GetInt32(30),
            SealedPan = NullableString(reader, 31),
            TerminalReversalKey = NullableString(reader, 32),
            TerminalDispensed = NullableInt64(reader, 33),
            ReversalReason = NullableString(reader, 34),
            ReversalDispensed = NullableInt64(reader, 35),
            ReversalOwedAtUnixMilliseconds = NullableInt64(reader, 36) ?? 0,
            ReversalAcknowledged = NullableString(reader, 37),
            Saf = new SafDelivery
            {
                Attempts = reader.GetInt32(38),
                ClaimedBy = NullableString(reader, 39),
                ClaimedUntilUnixMilliseconds = reader.GetInt64(40),
                NextAttemptUnixMilliseconds = reader.GetInt64(41),
                LastResult = NullableString(reader, 42),
                RefusedWith = NullableString(reader, 43),
            } is var saf && saf == SafDelivery.None ? SafDelivery.None : saf,
            AdviceOwedAtUnixMilliseconds = NullableInt64(reader, 44),
            AdviceAcknowledged = NullableString(reader, 45),
        };

    /// <summary>A marker stored before markers held the reversal's PAN and amount reads as one that refuses any original.</summary>
    public static ReversalMarker ToMarker(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(18), reader.GetInt64(19), NullableString(reader, 22), NullableInt64(reader, 23));

    public static JournalRecord ToJournal(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        AtUnixMilliseconds = reader.GetInt64(1),
        Key = reader.GetString(2),
        Mti = reader.GetInt32(3),
        Kind = Enum.Parse<TransactionKind>(reader.GetString(4)),
        Disposition = Enum.Parse<JournalDisposition>(reader.GetString(5)),
        TerminalId = reader.GetString(6),
        MaskedPan = reader.GetString(7),
        CardId = NullableInt64(reader, 8),
        AccountId = NullableInt64(reader, 9),
        Amount = reader.GetInt64(10),
        Delta = reader.GetInt64(11),
        ResponseCode = reader.GetString(12),
        AuthorizationId = NullableString(reader, 13),
        RetrievalReference = NullableString(reader, 14),
        Detail = NullableString(reader, 15),
        Upstream = reader.IsDBNull(16) ? null : new UpstreamEntry(reader.GetString(16), reader.GetString(17), reader.GetInt64(18)),
    };

    public static long? NullableInt64(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
