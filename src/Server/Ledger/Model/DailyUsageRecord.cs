using System.Globalization;

namespace SocketAtm.Server.Ledger.Model;

/// <summary>What a card has withdrawn on one UTC business day, checked against its daily limits.</summary>
internal sealed record DailyUsageRecord
{
    public required long CardId { get; init; }

    /// <summary>The UTC business day as yyyyMMdd.</summary>
    public required int Day { get; init; }

    /// <summary>Amount withdrawn that day, net of reversals, in minor units.</summary>
    public long Amount { get; init; }

    /// <summary>Withdrawals that day, net of full reversals.</summary>
    public int Count { get; init; }

    /// <summary>The stored id: one record per card and day.</summary>
    public string Id => StorageId(CardId, Day);

    public static string StorageId(long cardId, int day) => string.Create(CultureInfo.InvariantCulture, $"{cardId}/{day}");

    /// <summary>The business day <paramref name="now"/> falls on, as yyyyMMdd.</summary>
    public static int BusinessDay(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return (utc.Year * 10000) + (utc.Month * 100) + utc.Day;
    }

    /// <summary>Nothing used yet on <paramref name="day"/>.</summary>
    public static DailyUsageRecord Empty(long cardId, int day) => new() { CardId = cardId, Day = day };
}
