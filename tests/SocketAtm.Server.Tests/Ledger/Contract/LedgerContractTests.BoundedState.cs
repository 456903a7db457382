using System.Globalization;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>What a remote party can make a ledger hold in memory is bounded (README "Bounded state").</summary>
public abstract partial class LedgerContractTests
{
    [StorageFact]
    public async Task Looking_up_twice_the_bound_of_unknown_terminal_ids_holds_at_most_the_bound_and_registered_terminals_stay_found()
    {
        // Every message names a DE 41 the dispatcher looks up before anything else is checked: a remote party chooses them.
        var unknown = Enumerable.Range(0, 2 * TerminalRecordCache.MaxNotRegistered)
            .Select(i => "Z" + i.ToString("D7", CultureInfo.InvariantCulture));
        await Parallel.ForEachAsync(unknown, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (terminalId, token) =>
            Assert.Null(await Ledger.FindTerminalAsync(terminalId, token)));

        Assert.InRange(Queued.NotRegisteredTerminalsHeld, 0, TerminalRecordCache.MaxNotRegistered);
        Assert.NotNull(await Ledger.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None));
    }
}
