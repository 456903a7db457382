using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>Demo data found and removed on the embedded LiteDB ledger.</summary>
public sealed class LiteDbDemoDataTests : DemoDataContractTests
{
    internal override async Task<ILedger> OpenLedgerAsync(LedgerTestContext context) => await context.OpenAsync();
}
