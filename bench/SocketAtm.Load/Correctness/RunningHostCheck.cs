using SocketAtm.Client;

namespace SocketAtm.Load.Correctness;

/// <summary>
/// The check against a host the harness did not start, whose files it cannot open: every card's balance is read with a
/// balance inquiry before and after the load, and the difference must be exactly −approved + reversed. It cannot see
/// the journal, so "each key journaled once" is left to the host's own <c>admin verify</c> after it stops.
/// </summary>
internal static class RunningHostCheck
{
    public static async Task<long[]> ReadBalancesAsync(string host, int port, Fleet.Fleet fleet, CancellationToken cancellationToken)
    {
        await using var terminal = await AtmTerminalClient.ConnectAsync(
            new TerminalConnectionOptions { Host = host, Port = port },
            new TerminalClientOptions { TerminalId = fleet.TerminalIds[0], UseMac = fleet.Settings.UseMac, AcquirerId = Fleet.Fleet.AcquirerId },
            cancellationToken);
        var balances = new long[fleet.Pans.Count];
        for (var card = 0; card < balances.Length; card++)
        {
            var result = await terminal.BalanceAsync(fleet.Pans[card], fleet.Pin, cancellationToken: cancellationToken);
            balances[card] = result is TransactionApproved { Balance: { } balance }
                ? balance.Ledger
                : throw new InvalidOperationException($"The balance of card #{card} could not be read: {result}. Does the fleet exist on this host?");
        }

        return balances;
    }

    public static CorrectnessVerdict Compare(long[] before, long[] after, ExpectedLedger expected)
    {
        var failures = new List<string>();
        long approved = 0;
        long reversed = 0;
        for (var card = 0; card < before.Length; card++)
        {
            approved += expected.ApprovedOf(card);
            reversed += expected.ReversedOf(card);
            var want = before[card] - expected.ApprovedOf(card) + expected.ReversedOf(card);
            if (after[card] != want && failures.Count < 50)
            {
                failures.Add($"card #{card} holds {after[card]} but {before[card]} - approved {expected.ApprovedOf(card)} + reversed {expected.ReversedOf(card)} = {want}");
            }
        }

        if (expected.Unresolved > 0)
        {
            failures.Add($"{expected.Unresolved} reversals were never acknowledged: their withdrawals' outcome is unknown");
        }

        return new CorrectnessVerdict
        {
            Holds = failures.Count == 0,
            Method = "balance inquiries before and after (a running host: journal not visible)",
            CardsChecked = before.Length,
            KeysChecked = expected.Keys.Count,
            ApprovedAmount = approved,
            ReversedAmount = reversed,
            Failures = failures,
        };
    }
}
