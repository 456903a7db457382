using System.Globalization;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Handlers;

/// <summary>Writes a ledger outcome into a response: DE 39, and DE 37, DE 38 and DE 54 when the outcome has them.</summary>
internal static class ResponseFields
{
    private const string LedgerBalanceType = "01";
    private const string AvailableBalanceType = "02";

    public static void Apply(LedgerOutcome outcome, IsoMessage response)
    {
        response.Set(39, outcome.ResponseCode);
        if (outcome.RetrievalReference is { } rrn)
        {
            response.Set(37, rrn);
        }

        if (outcome.AuthorizationId is { } authorizationId)
        {
            response.Set(38, authorizationId);
        }

        if (outcome.LedgerBalance is { } ledger && outcome.AvailableBalance is { } available)
        {
            Span<char> blocks = stackalloc char[40];
            WriteBalanceBlock(blocks[..20], outcome.AccountType, LedgerBalanceType, outcome.Currency, ledger);
            WriteBalanceBlock(blocks[20..], outcome.AccountType, AvailableBalanceType, outcome.Currency, available);
            response.Set(54, blocks);
        }
    }

    /// <summary>One DE 54 block: account type (2), amount type (2), currency (3), C or D (1), amount (12).</summary>
    private static void WriteBalanceBlock(Span<char> block, AccountType accountType, string amountType, int currency, long amount)
    {
        ((int)accountType).TryFormat(block[..2], out _, "D2", CultureInfo.InvariantCulture);
        amountType.CopyTo(block[2..4]);
        currency.TryFormat(block[4..7], out _, "D3", CultureInfo.InvariantCulture);
        block[7] = amount < 0 ? 'D' : 'C';
        Math.Abs(amount).TryFormat(block[8..20], out _, "D12", CultureInfo.InvariantCulture);
    }
}
