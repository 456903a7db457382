using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;

namespace SocketAtm.Server.Acquiring;

/// <summary>
/// Reads an issuer's trusted 0110/0210 (the link checked it against PROTOCOL.md §15.4) into what the ledger records: DE 39,
/// DE 38 of an approval, and DE 54's ledger and available balances when it carries both, so that the terminal is shown them.
/// </summary>
internal static class IssuerAnswers
{
    public static IssuerAnswer Read(IsoMessage answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var responseCode = answer.GetString(DataElements.ResponseCode) ?? ResponseCodes.SystemMalfunction;
        var authorizationId = responseCode == ResponseCodes.Approved ? answer.GetString(DataElements.AuthorizationId) : null;
        var field = answer.Get(DataElements.AdditionalAmounts);
        AdditionalAmount? ledger = null;
        AdditionalAmount? available = null;
        for (var index = 0; index < AdditionalAmounts.BlockCount(field); index++)
        {
            if (AdditionalAmounts.TryReadBlock(field, index, out var block))
            {
                if (block.AmountType == AdditionalAmounts.LedgerBalance)
                {
                    ledger ??= block;
                }
                else if (block.AmountType == AdditionalAmounts.AvailableBalance)
                {
                    available ??= block;
                }
            }
        }

        // Balances only as a pair of one account and currency, as the terminal is shown them (PROTOCOL.md §9).
        if (ledger is { } l && available is { } a && l.AccountType == a.AccountType && l.Currency == a.Currency
            && Enum.IsDefined(typeof(AccountType), (byte)l.AccountType))
        {
            return new IssuerAnswer(responseCode, authorizationId, (AccountType)l.AccountType, l.Amount, a.Amount, l.Currency);
        }

        return new IssuerAnswer(responseCode, authorizationId);
    }
}
