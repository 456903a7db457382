using System.Globalization;
using SocketAtm.Client;
using SocketAtm.Server.Ledger;

namespace SocketAtm.CrashTest;

/// <summary>
/// One crash-test run: provision a fleet, start the host as a process, drive terminals, SIGKILL and restart the host
/// round after round, let the terminals recover, then check the books against what the terminals saw.
/// </summary>
public static class CrashRun
{
    private const string CardPrefix = "59";
    private const string CardPin = "2468";
    private const long OpeningBalance = 100_000_000; // 1,000,000.00: enough that no card runs dry in a long run

    public static async Task<CrashReport> RunAsync(CrashTestOptions options, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var random = new Random(options.Seed);
        var dataDirectory = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "socketatm-crash-" + Guid.NewGuid().ToString("N"));
        await log.WriteLineAsync($"crash test: {options.Rounds} rounds, {options.Terminals} terminals, {options.Cards} cards, seed {options.Seed}, data {dataDirectory}");
        using var host = new HostProcess(dataDirectory);
        var pans = await ProvisionAsync(host, options);
        var terminalIds = TerminalIds(options.Terminals);
        await host.StartAsync(TimeSpan.FromSeconds(60));
        var expectations = new Expectations();
        var clients = await Task.WhenAll(terminalIds.Select(id => AtmTerminalClient.ConnectAsync(
            new TerminalConnectionOptions
            {
                Port = host.Port,
                ReconnectDelay = TimeSpan.FromMilliseconds(100),
                MaxReconnectDelay = TimeSpan.FromSeconds(1),
                EchoInterval = TimeSpan.FromSeconds(5),
            },
            new TerminalClientOptions
            {
                TerminalId = id,
                RequestTimeout = TimeSpan.FromSeconds(2),
                ReversalRetryInterval = TimeSpan.FromMilliseconds(500),
            },
            cancellationToken)));

        using var stopTraffic = new CancellationTokenSource();
        var traffic = clients.Select((client, index) => DriveAsync(client, pans, expectations, new Random(options.Seed + index + 1), stopTraffic.Token)).ToArray();
        var kills = 0;
        for (var round = 1; round <= options.Rounds; round++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, (int)options.MaxRoundLength.TotalMilliseconds)), cancellationToken);
            host.Kill();
            kills++;
            await Task.Delay(random.Next(0, 300), cancellationToken);
            await host.StartAsync(TimeSpan.FromSeconds(60));
            await log.WriteLineAsync($"round {round}: killed and restarted; {expectations.Requests} requests, {expectations.Approvals.Count} approvals, {expectations.Timeouts} timeouts so far");
        }

        // Let the terminals settle on a healthy host: traffic stops, every reversal they owe gets acknowledged.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        await stopTraffic.CancelAsync();
        await Task.WhenAll(traffic);
        await expectations.AllReversalsSettled().WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        await host.StopAsync(TimeSpan.FromSeconds(30));
        var violations = await CheckBooksAsync(dataDirectory, pans, expectations);
        var (verifyExit, verifyOutput) = await host.AdminAsync("verify");
        if (verifyExit != 0)
        {
            violations.Add("the host's own verify failed: " + verifyOutput.Trim());
        }

        var report = new CrashReport(options.Seed, kills, expectations.Requests, expectations.Approvals.Count, expectations.Timeouts, expectations.ReversalsAcknowledged, violations);
        await log.WriteLineAsync(report.ToString());
        if (options.DataDirectory is null && report.Holds)
        {
            Directory.Delete(dataDirectory, recursive: true);
        }

        return report;
    }

    private static async Task<IReadOnlyList<string>> ProvisionAsync(HostProcess host, CrashTestOptions options)
    {
        var (exit, output) = await host.AdminAsync(
            "add-cards", "--count", options.Cards.ToString(CultureInfo.InvariantCulture), "--prefix", CardPrefix, "--pin", CardPin, "--expiry", "3012",
            "--balance", (OpeningBalance / 100).ToString(CultureInfo.InvariantCulture), "--daily-amount", "100000000.00", "--daily-count", "100000000");
        if (exit != 0)
        {
            throw new InvalidOperationException("Provisioning cards failed: " + output);
        }

        foreach (var id in TerminalIds(options.Terminals).Where(id => !id.StartsWith("ATM0000", StringComparison.Ordinal) && id != "ATM00010"))
        {
            (exit, output) = await host.AdminAsync("add-terminal", "--id", id, "--demo-keys");
            if (exit != 0)
            {
                throw new InvalidOperationException($"Registering {id} failed: {output}");
            }
        }

        return Server.Admin.GeneratedCardNumbers.Create(CardPrefix, options.Cards);
    }

    /// <summary>The demo terminals first (ATM00001–08 MAC, 09–10 not), then more registered with demo keys.</summary>
    private static string[] TerminalIds(int count) =>
        Enumerable.Range(1, count).Select(n => "ATM" + n.ToString("D5", CultureInfo.InvariantCulture)).ToArray();

    /// <summary>One terminal's traffic: balances, withdrawals, and withdrawals the ATM could not fully dispense.</summary>
    private static async Task DriveAsync(AtmTerminalClient atm, IReadOnlyList<string> pans, Expectations expectations, Random random, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var pan = pans[random.Next(pans.Count)];
            var roll = random.Next(100);
            try
            {
                if (roll < 15)
                {
                    await atm.BalanceAsync(pan, CardPin, cancellationToken: stop);
                    expectations.Other();
                    continue;
                }

                var amount = random.Next(1, 21) * 100L;
                var result = await atm.WithdrawAsync(pan, CardPin, amount, cancellationToken: stop);
                var dispensed = roll switch
                {
                    < 70 => amount,       // cash taken
                    < 85 => amount / 2,   // partial dispense
                    _ => 0,               // jam: nothing came out
                };
                Task<ReversalResult>? dispenseReversal = null;
                if (result is TransactionApproved approved && dispensed < amount)
                {
                    dispenseReversal = atm.ReportDispenseAsync(approved, dispensed, CancellationToken.None);
                }

                expectations.Withdrawal(pan, result, dispensed, dispenseReversal);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static async Task<List<string>> CheckBooksAsync(string dataDirectory, IReadOnlyList<string> pans, Expectations expectations)
    {
        var violations = new List<string>();
        if (expectations.Unresolved > 0)
        {
            violations.Add($"{expectations.Unresolved} reversals were abandoned, so those withdrawals cannot be accounted for");
        }

        await using var ledger = await LiteDbLedger.OpenAsync(new LedgerOptions { DataDirectory = dataDirectory, SeedDemoData = false }, TimeProvider.System);
        foreach (var pan in pans)
        {
            var balance = await ledger.GetCardBalanceAsync(pan, CancellationToken.None);
            var expected = OpeningBalance - expectations.DebitOf(pan);
            if (balance is null || balance.LedgerBalance != expected)
            {
                violations.Add($"card {balance?.MaskedPan ?? "?"}: balance {balance?.LedgerBalance} but the terminals saw {expected} (opening {OpeningBalance} - {expectations.DebitOf(pan)})");
            }
        }

        var journalByTerminal = new Dictionary<string, IReadOnlyList<Server.Ledger.Model.JournalRecord>>(StringComparer.Ordinal);
        foreach (var (terminalId, trace) in expectations.Approvals)
        {
            if (!journalByTerminal.TryGetValue(terminalId, out var rows))
            {
                journalByTerminal[terminalId] = rows = await ledger.ListJournalForTerminalAsync(terminalId, int.MaxValue, CancellationToken.None);
            }

            var key = new RequestKey("00000123456", terminalId, trace.Stan, trace.TransmissionDateTime).ToString();
            var applied = rows.Count(row => row.Key == key && row.Kind == TransactionKind.Withdrawal && row.ResponseCode == "00"
                && row.Disposition == Server.Ledger.Model.JournalDisposition.Decided);
            if (applied != 1)
            {
                violations.Add($"approval {key} is on the books {applied} times");
            }
        }

        var invariants = await ledger.VerifyInvariantsAsync(CancellationToken.None);
        violations.AddRange(invariants.Violations);
        return violations;
    }
}
