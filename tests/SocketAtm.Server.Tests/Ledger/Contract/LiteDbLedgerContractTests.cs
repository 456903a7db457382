using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>The ledger contract on the embedded LiteDB ledger.</summary>
public sealed class LiteDbLedgerContractTests : LedgerContractTests
{
    internal override async Task<ILedger> OpenLedgerAsync(LedgerTestContext context) => await context.OpenAsync();
}
