using System.Globalization;
using LiteDB;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>
/// Maps the ledger's records to and from LiteDB documents by hand: the stored shape is spelled out here, in one
/// place, rather than left to reflection. Money is Int64 minor units; times are Unix milliseconds; enums are names.
/// </summary>
internal static class LedgerBson
{
    /// <summary>The card without its PAN: a digest to find it by, and the masked form to show.</summary>
    public static BsonDocument ToBson(CardRecord card, KeyProtector protector)
    {
        var accounts = new BsonArray(card.Accounts.Select(link => (BsonValue)new BsonDocument
        {
            ["Type"] = (int)link.Type,
            ["AccountId"] = link.AccountId,
        }));
        return new BsonDocument
        {
            ["_id"] = card.Id,
            ["PanDigest"] = protector.PanDigest(card.Pan),
            ["MaskedPan"] = card.MaskedPan,
            ["Pvv"] = card.Pvv,
            ["Pvki"] = card.Pvki,
            ["Status"] = card.Status.ToString(),
            ["Expiry"] = card.Expiry,
            ["ServiceCode"] = card.ServiceCode,
            ["PinTries"] = card.PinTries,
            ["DailyAmountLimit"] = card.DailyAmountLimit,
            ["DailyCountLimit"] = card.DailyCountLimit,
            ["Accounts"] = accounts,
        };
    }

    /// <summary>A stored card, found by <paramref name="pan"/> (which the document itself does not hold).</summary>
    public static CardRecord ToCard(BsonDocument document, string pan) => new()
    {
        Id = document["_id"].AsInt64,
        Pan = pan,
        Pvv = document["Pvv"].AsString,
        Pvki = document["Pvki"].AsInt32,
        Status = Enum.Parse<CardStatus>(document["Status"].AsString),
        Expiry = document["Expiry"].AsString,
        ServiceCode = document["ServiceCode"].AsString,
        PinTries = document["PinTries"].AsInt32,
        DailyAmountLimit = document["DailyAmountLimit"].AsInt64,
        DailyCountLimit = document["DailyCountLimit"].AsInt32,
        Accounts = document["Accounts"].AsArray
            .Select(link => new LinkedAccount((AccountType)link["Type"].AsInt32, link["AccountId"].AsInt64))
            .ToArray(),
    };

    public static BsonDocument ToBson(AccountRecord account) => new()
    {
        ["_id"] = account.Id,
        ["Type"] = (int)account.Type,
        ["Currency"] = account.Currency,
        ["OpeningBalance"] = account.OpeningBalance,
        ["Balance"] = account.Balance,
    };

    public static AccountRecord ToAccount(BsonDocument document) => new()
    {
        Id = document["_id"].AsInt64,
        Type = (AccountType)document["Type"].AsInt32,
        Currency = document["Currency"].AsInt32,
        OpeningBalance = document["OpeningBalance"].AsInt64,
        Balance = document["Balance"].AsInt64,
    };

    public static BsonDocument ToBson(DailyUsageRecord usage) => new()
    {
        ["_id"] = usage.Id,
        ["CardId"] = usage.CardId,
        ["Day"] = usage.Day,
        ["Amount"] = usage.Amount,
        ["Count"] = usage.Count,
    };

    public static DailyUsageRecord ToDailyUsage(BsonDocument document) => new()
    {
        CardId = document["CardId"].AsInt64,
        Day = document["Day"].AsInt32,
        Amount = document["Amount"].AsInt64,
        Count = document["Count"].AsInt32,
    };

    public static BsonDocument ToBson(TerminalRecord terminal, KeyProtector protector)
    {
        var document = new BsonDocument
        {
            ["_id"] = terminal.TerminalId,
            ["Enabled"] = terminal.Enabled,
            ["MasterKey"] = protector.Protect(terminal.MasterKey, KeyProtector.TerminalKeyPurpose(terminal.TerminalId, "TMK")),
            ["PinKey"] = protector.Protect(terminal.PinKey, KeyProtector.TerminalKeyPurpose(terminal.TerminalId, "TPK")),
            ["MacKey"] = protector.Protect(terminal.MacKey, KeyProtector.TerminalKeyPurpose(terminal.TerminalId, "TAK")),
            ["RequiresMac"] = terminal.RequiresMac,
            ["KeyVersion"] = terminal.KeyVersion,
        };
        if (terminal.PreviousKeys is { } previous)
        {
            document["PreviousPinKey"] = protector.Protect(previous.PinKey, KeyProtector.TerminalKeyPurpose(terminal.TerminalId, "previous TPK"));
            document["PreviousMacKey"] = protector.Protect(previous.MacKey, KeyProtector.TerminalKeyPurpose(terminal.TerminalId, "previous TAK"));
            document["PreviousKeysValidUntil"] = previous.ValidUntil.ToUnixTimeMilliseconds();
        }

        if (terminal.PendingKeys is { } pending)
        {
            document["PendingPinKey"] = protector.Protect(pending.PinKey, KeyProtector.TerminalKeyPurpose(terminal.TerminalId, "pending TPK"));
            document["PendingMacKey"] = protector.Protect(pending.MacKey, KeyProtector.TerminalKeyPurpose(terminal.TerminalId, "pending TAK"));
        }

        if (terminal.LastKeyExchange is { } exchange)
        {
            document["LastKeyExchangeAt"] = exchange.TransmittedAt.ToUnixTimeMilliseconds();
            document["LastKeyExchangeStan"] = exchange.Stan;
        }

        return document;
    }

    /// <summary>A terminal stored before key versions were is at its first.</summary>
    public static long KeyVersionOf(BsonDocument document) => document.TryGetValue("KeyVersion", out var version) ? version.AsInt64 : 1;

    public static TerminalRecord ToTerminal(BsonDocument document, KeyProtector protector)
    {
        var id = document["_id"].AsString;
        return new TerminalRecord
        {
            TerminalId = id,
            Enabled = document["Enabled"].AsBoolean,
            MasterKey = protector.Unprotect(document["MasterKey"].AsString, KeyProtector.TerminalKeyPurpose(id, "TMK")),
            PinKey = protector.Unprotect(document["PinKey"].AsString, KeyProtector.TerminalKeyPurpose(id, "TPK")),
            MacKey = protector.Unprotect(document["MacKey"].AsString, KeyProtector.TerminalKeyPurpose(id, "TAK")),
            RequiresMac = document["RequiresMac"].AsBoolean,
            KeyVersion = KeyVersionOf(document),
            PreviousKeys = document.ContainsKey("PreviousPinKey")
                ? new PreviousWorkingKeys(
                    protector.Unprotect(document["PreviousPinKey"].AsString, KeyProtector.TerminalKeyPurpose(id, "previous TPK")),
                    protector.Unprotect(document["PreviousMacKey"].AsString, KeyProtector.TerminalKeyPurpose(id, "previous TAK")),
                    DateTimeOffset.FromUnixTimeMilliseconds(document["PreviousKeysValidUntil"].AsInt64))
                : null,
            // A terminal stored before keys could be pending has none: the fields are simply absent.
            PendingKeys = document.ContainsKey("PendingPinKey")
                ? new PendingWorkingKeys(
                    protector.Unprotect(document["PendingPinKey"].AsString, KeyProtector.TerminalKeyPurpose(id, "pending TPK")),
                    protector.Unprotect(document["PendingMacKey"].AsString, KeyProtector.TerminalKeyPurpose(id, "pending TAK")))
                : null,
            // Absent on a terminal stored before exchanges were kept: its next exchange is taken as later.
            LastKeyExchange = document.ContainsKey("LastKeyExchangeAt")
                ? new KeyExchangeRequest(DateTimeOffset.FromUnixTimeMilliseconds(document["LastKeyExchangeAt"].AsInt64), document["LastKeyExchangeStan"].AsInt32)
                : null,
        };
    }

    /// <summary>The issuing PVK is stored as <c>PVK</c>, where the one PVK always was; the others as <c>PVK/</c> and their PVKI.</summary>
    public const string IssuingPinVerificationKeyId = "PVK";

    public const string OtherPinVerificationKeyIdPrefix = "PVK/";

    public static BsonDocument ToBson(PinVerificationKey key, KeyProtector protector, bool issuing = true)
    {
        var id = issuing ? IssuingPinVerificationKeyId : OtherPinVerificationKeyIdPrefix + key.Index.ToString(CultureInfo.InvariantCulture);
        return new()
        {
            ["_id"] = id,
            ["Key"] = protector.Protect(key.Key, "host/" + id),
            ["Index"] = key.Index,
        };
    }

    public static PinVerificationKey ToPinVerificationKey(BsonDocument document, KeyProtector protector) =>
        new(protector.Unprotect(document["Key"].AsString, "host/" + document["_id"].AsString), document["Index"].AsInt32);

    public static BsonDocument ToBson(CardVerificationKey key, KeyProtector protector) => new()
    {
        ["_id"] = "CVK",
        ["Key"] = protector.Protect(key.Key, "host/CVK"),
    };

    public static CardVerificationKey ToCardVerificationKey(BsonDocument document, KeyProtector protector) =>
        new(protector.Unprotect(document["Key"].AsString, "host/CVK"));

    public static BsonDocument ToBson(JournalRecord entry)
    {
        var document = new BsonDocument
        {
            ["_id"] = entry.Id,
            ["At"] = entry.AtUnixMilliseconds,
            ["Key"] = entry.Key,
            ["Mti"] = entry.Mti,
            ["Kind"] = entry.Kind.ToString(),
            ["Disposition"] = entry.Disposition.ToString(),
            ["TerminalId"] = entry.TerminalId,
            ["MaskedPan"] = entry.MaskedPan,
            ["CardId"] = Nullable(entry.CardId),
            ["AccountId"] = Nullable(entry.AccountId),
            ["Amount"] = entry.Amount,
            ["Delta"] = entry.Delta,
            ["ResponseCode"] = entry.ResponseCode,
            ["AuthorizationId"] = entry.AuthorizationId,
            ["RetrievalReference"] = entry.RetrievalReference,
        };

        // Only security events have one; financial rows stay as they were stored before the field existed.
        if (entry.Detail is { } detail)
        {
            document["Detail"] = detail;
        }

        ForwardingBson.Write(document, entry.Upstream);
        return document;
    }

    public static JournalRecord ToJournal(BsonDocument document) => new()
    {
        Id = document["_id"].AsInt64,
        AtUnixMilliseconds = document["At"].AsInt64,
        Key = document["Key"].AsString,
        Mti = document["Mti"].AsInt32,
        Kind = Enum.Parse<TransactionKind>(document["Kind"].AsString),
        Disposition = Enum.Parse<JournalDisposition>(document["Disposition"].AsString),
        TerminalId = document["TerminalId"].AsString,
        MaskedPan = document["MaskedPan"].AsString,
        CardId = NullableInt64(document["CardId"]),
        AccountId = NullableInt64(document["AccountId"]),
        Amount = document["Amount"].AsInt64,
        Delta = document["Delta"].AsInt64,
        ResponseCode = document["ResponseCode"].AsString,
        AuthorizationId = NullableString(document["AuthorizationId"]),
        RetrievalReference = NullableString(document["RetrievalReference"]),
        Detail = document.TryGetValue("Detail", out var detail) ? NullableString(detail) : null,
        Upstream = ForwardingBson.ReadUpstream(document),
    };

    public static BsonDocument ToBson(IdempotencyRecord record)
    {
        var document = new BsonDocument
        {
            ["_id"] = record.Key,
            ["Kind"] = record.Kind.ToString(),
            ["Mti"] = record.Mti,
            ["JournalId"] = record.JournalId,
            ["Outcome"] = ToBson(record.Outcome),
            ["MaskedPan"] = record.MaskedPan,
            ["PanDigest"] = record.PanDigest,
            ["Amount"] = record.Amount,
            ["CardId"] = Nullable(record.CardId),
            ["AccountId"] = Nullable(record.AccountId),
            ["AppliedAmount"] = record.AppliedAmount,
            ["UsageDay"] = record.UsageDay,
            ["ReversedByKey"] = record.ReversedByKey,
            ["At"] = record.DecidedAtUnixMilliseconds,
            };
        ForwardingBson.Write(document, record.Forwarding);
        return document;
    }

    public static IdempotencyRecord ToIdempotency(BsonDocument document) => new()
    {
        Key = document["_id"].AsString,
        Kind = Enum.Parse<TransactionKind>(document["Kind"].AsString),
        Mti = document["Mti"].AsInt32,
        JournalId = document["JournalId"].AsInt64,
        Outcome = ToOutcome(document["Outcome"].AsDocument),
        MaskedPan = document["MaskedPan"].AsString,
        PanDigest = NullableString(document["PanDigest"]),
        // Migrated at open (LedgerMigrations); a record of an older host that somehow was not names what it applied.
        Amount = document["Amount"].IsNull ? document["AppliedAmount"].AsInt64 : document["Amount"].AsInt64,
        CardId = NullableInt64(document["CardId"]),
        AccountId = NullableInt64(document["AccountId"]),
        AppliedAmount = document["AppliedAmount"].AsInt64,
        UsageDay = document["UsageDay"].AsInt32,
        ReversedByKey = NullableString(document["ReversedByKey"]),
        DecidedAtUnixMilliseconds = document["At"].IsNull ? 0 : document["At"].AsInt64,
        Forwarding = ForwardingBson.Read(document),
    };

    public static BsonDocument ToBson(ReversalMarker marker) => new()
    {
        ["_id"] = marker.OriginalKey,
        ["ReversalKey"] = marker.ReversalKey,
        ["At"] = marker.AtUnixMilliseconds,
        ["PanDigest"] = marker.PanDigest,
        ["Amount"] = Nullable(marker.Amount),
    };

    /// <summary>A marker stored before markers held the reversal's PAN and amount reads as one that refuses any original.</summary>
    public static ReversalMarker ToMarker(BsonDocument document) =>
        new(
            document["_id"].AsString,
            document["ReversalKey"].AsString,
            document["At"].AsInt64,
            NullableString(document["PanDigest"]),
            NullableInt64(document["Amount"]));

    public static BsonDocument ToBson(LedgerSequences sequences) => new()
    {
        ["_id"] = "sequences",
        ["Journal"] = sequences.Journal,
        ["RetrievalReference"] = sequences.RetrievalReference,
        ["AuthorizationId"] = sequences.AuthorizationId,
        ["Card"] = sequences.Card,
        ["Account"] = sequences.Account,
    };

    public static LedgerSequences ToSequences(BsonDocument document) => new()
    {
        Journal = document["Journal"].AsInt64,
        RetrievalReference = document["RetrievalReference"].AsInt64,
        AuthorizationId = document["AuthorizationId"].AsInt64,
        Card = document["Card"].AsInt64,
        Account = document["Account"].AsInt64,
    };

    private static BsonDocument ToBson(LedgerOutcome outcome) => new()
    {
        ["ResponseCode"] = outcome.ResponseCode,
        ["AuthorizationId"] = outcome.AuthorizationId,
        ["RetrievalReference"] = outcome.RetrievalReference,
        ["AccountType"] = (int)outcome.AccountType,
        ["LedgerBalance"] = Nullable(outcome.LedgerBalance),
        ["AvailableBalance"] = Nullable(outcome.AvailableBalance),
        ["Currency"] = outcome.Currency,
    };

    private static LedgerOutcome ToOutcome(BsonDocument document) => new()
    {
        ResponseCode = document["ResponseCode"].AsString,
        AuthorizationId = NullableString(document["AuthorizationId"]),
        RetrievalReference = NullableString(document["RetrievalReference"]),
        AccountType = (AccountType)document["AccountType"].AsInt32,
        LedgerBalance = NullableInt64(document["LedgerBalance"]),
        AvailableBalance = NullableInt64(document["AvailableBalance"]),
        Currency = document["Currency"].AsInt32,
    };

    private static BsonValue Nullable(long? value) => value is { } present ? new BsonValue(present) : BsonValue.Null;

    private static long? NullableInt64(BsonValue value) => value.IsNull ? null : value.AsInt64;

    private static string? NullableString(BsonValue value) => value.IsNull ? null : value.AsString;
}
