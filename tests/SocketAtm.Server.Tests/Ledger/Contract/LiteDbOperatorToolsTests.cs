using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>The operator's writes on the embedded LiteDB ledger.</summary>
public sealed class LiteDbOperatorToolsTests : OperatorToolsContractTests
{
    internal override async Task<ILedger> OpenLedgerAsync(LedgerTestContext context) => await context.OpenAsync();
}
