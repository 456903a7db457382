using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Handlers;

/// <summary>Writes a ledger outcome into a response: DE 39, and DE 37, DE 38 and DE 54 when the outcome has them.</summary>
internal static class ResponseFields
{
    public static void Apply(LedgerOutcome outcome, IsoMessage response)
    {
        response.Set(DataElements.ResponseCode, outcome.ResponseCode);
        if (outcome.RetrievalReference is { } rrn)
        {
            response.Set(DataElements.RetrievalReference, rrn);
        }

        if (outcome.AuthorizationId is { } authorizationId)
        {
            response.Set(DataElements.AuthorizationId, authorizationId);
        }

        if (outcome.LedgerBalance is { } ledger && outcome.AvailableBalance is { } available)
        {
            Span<char> balances = stackalloc char[AdditionalAmounts.BalancesLength];
            AdditionalAmounts.WriteBalances(balances, (int)outcome.AccountType, outcome.Currency, ledger, available);
            response.Set(DataElements.AdditionalAmounts, balances);
        }
    }
}
