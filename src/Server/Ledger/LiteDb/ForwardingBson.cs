using LiteDB;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>
/// How the acquirer's parts of a record are stored (format 5): a forwarded idempotency record's upstream side as its
/// <c>Forward</c> sub-document, and a journal row's <see cref="UpstreamEntry"/> as <c>UpstreamRoute</c>,
/// <c>UpstreamReference</c> and <c>UpstreamAmount</c>. Absent on everything on-us, so those documents are as before.
/// </summary>
internal static class ForwardingBson
{
    /// <summary>
    /// Every idempotency record says whether pruning must keep it past the retention (<see cref="ForwardingRecord.IsHeld"/>);
    /// an indexed field, so that pruning's query finds what it may delete without reading forwarded records' documents.
    /// </summary>
    public const string Held = "Held";

    /// <summary>The route of a record that owes a reversal or an advice upstream, else null: indexed, for the owed list of a route.</summary>
    public const string OwedRoute = "OwedRoute";

    public static void Write(BsonDocument document, ForwardingRecord? forwarding)
    {
        document[Held] = forwarding?.IsHeld ?? false;
        if (forwarding is null)
        {
            return;
        }

        document[OwedRoute] = forwarding.OwedMessage is not null ? forwarding.Route : BsonValue.Null;
        document["Forward"] = new BsonDocument
        {
            ["Route"] = forwarding.Route,
            ["Stan"] = forwarding.AcquirerStan,
            ["Transmission"] = forwarding.AcquirerTransmission,
            ["State"] = forwarding.State.ToString(),
            ["AccountType"] = (int)forwarding.AccountType,
            ["Currency"] = forwarding.Currency,
            ["SealedPan"] = forwarding.SealedPan,
            ["TerminalReversalKey"] = forwarding.TerminalReversalKey,
            ["TerminalDispensed"] = Nullable(forwarding.TerminalDispensed),
            ["ReversalReason"] = forwarding.ReversalReason,
            ["ReversalDispensed"] = Nullable(forwarding.ReversalDispensed),
            ["ReversalOwedAt"] = forwarding.ReversalOwedAtUnixMilliseconds,
            ["ReversalAcknowledged"] = forwarding.ReversalAcknowledged,
        };
        if (forwarding.AdviceOwedAtUnixMilliseconds is { } adviceOwedAt)
        {
            document["Forward"]["AdviceOwedAt"] = adviceOwedAt;
            document["Forward"]["AdviceAcknowledged"] = forwarding.AdviceAcknowledged;
        }
        if (forwarding.Saf != SafDelivery.None)
        {
            var saf = forwarding.Saf;
            document["Forward"]["Saf"] = new BsonDocument
            {
                ["Attempts"] = saf.Attempts,
                ["ClaimedBy"] = saf.ClaimedBy,
                ["ClaimedUntil"] = saf.ClaimedUntilUnixMilliseconds,
                ["NextAttempt"] = saf.NextAttemptUnixMilliseconds,
                ["LastResult"] = saf.LastResult,
                ["RefusedWith"] = saf.RefusedWith,
            };
        }
    }

    public static ForwardingRecord? Read(BsonDocument document)
    {
        if (!document.TryGetValue("Forward", out var value) || !value.IsDocument)
        {
            return null;
        }

        var forward = value.AsDocument;
        return new ForwardingRecord
        {
            Route = forward["Route"].AsString,
            AcquirerStan = forward["Stan"].AsInt32,
            AcquirerTransmission = forward["Transmission"].AsString,
            State = Enum.Parse<ForwardState>(forward["State"].AsString),
            AccountType = (AccountType)forward["AccountType"].AsInt32,
            Currency = forward["Currency"].AsInt32,
            SealedPan = NullableString(forward["SealedPan"]),
            TerminalReversalKey = NullableString(forward["TerminalReversalKey"]),
            TerminalDispensed = NullableInt64(forward["TerminalDispensed"]),
            ReversalReason = NullableString(forward["ReversalReason"]),
            ReversalDispensed = NullableInt64(forward["ReversalDispensed"]),
            ReversalOwedAtUnixMilliseconds = forward["ReversalOwedAt"].AsInt64,
            ReversalAcknowledged = NullableString(forward["ReversalAcknowledged"]),
            Saf = ReadSaf(forward),
            AdviceOwedAtUnixMilliseconds = forward.TryGetValue("AdviceOwedAt", out var adviceOwedAt) ? adviceOwedAt.AsInt64 : null,
            AdviceAcknowledged = forward.TryGetValue("AdviceAcknowledged", out var adviceAcknowledged) ? NullableString(adviceAcknowledged) : null,
        };
    }

    /// <summary>The delivery state; absent on a record of a ledger written before store-and-forward (format 5), and on one never tried.</summary>
    private static SafDelivery ReadSaf(BsonDocument forward) =>
        forward.TryGetValue("Saf", out var value) && value.IsDocument
            ? new SafDelivery
            {
                Attempts = value["Attempts"].AsInt32,
                ClaimedBy = NullableString(value["ClaimedBy"]),
                ClaimedUntilUnixMilliseconds = value["ClaimedUntil"].AsInt64,
                NextAttemptUnixMilliseconds = value["NextAttempt"].AsInt64,
                LastResult = NullableString(value["LastResult"]),
                RefusedWith = NullableString(value["RefusedWith"]),
            }
            : SafDelivery.None;

    public static void Write(BsonDocument document, UpstreamEntry? upstream)
    {
        if (upstream is null)
        {
            return;
        }

        document["UpstreamRoute"] = upstream.Route;
        document["UpstreamReference"] = upstream.RetrievalReference;
        document["UpstreamAmount"] = upstream.Amount;
    }

    public static UpstreamEntry? ReadUpstream(BsonDocument document) =>
        document.TryGetValue("UpstreamRoute", out var route) && route.IsString
            ? new UpstreamEntry(route.AsString, document["UpstreamReference"].AsString, document["UpstreamAmount"].AsInt64)
            : null;

    private static BsonValue Nullable(long? value) => value is { } present ? new BsonValue(present) : BsonValue.Null;

    private static long? NullableInt64(BsonValue value) => value.IsNull ? null : value.AsInt64;

    private static string? NullableString(BsonValue value) => value.IsNull ? null : value.AsString;
}
