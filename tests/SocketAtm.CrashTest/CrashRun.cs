using System.Globalization;
using SocketAtm.Client;
using SocketAtm.Server.Ledger;

namespace SocketAtm.CrashTest;

/// <summary>
/// One crash-test run: provision a fleet, start the host(s) as processes, drive terminals, SIGKILL and restart a host
/// round after round (with several hosts on one PostgreSQL database, one of them while its terminals fail over to the
/// others), let the terminals recover, then check the books against what the terminals saw.
/// </summary>
public static class CrashRun
{
    private const string CardPrefix = "59";
    private const string CardPin = "2468";
    private const long OpeningBalance = 100_000_000; // 1,000,000.00: enough that no card runs dry in a long run
    private static readonly TimeSpan HostStartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan HostStopTimeout = TimeSpan.FromSeconds(30);

    public static async Task<CrashReport> RunAsync(CrashTestOptions options, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        var random = new Random(options.Seed);
        var dataDirectory = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "socketatm-crash-" + Guid.NewGuid().ToString("N"));
        var store = CrashStore.For(options);
        await log.WriteLineAsync(
            $"crash test: {options.Rounds} rounds, {options.Hosts} host(s) on {store.Description}, {options.Terminals} terminals, {options.Cards} cards, seed {options.Seed}, data {dataDirectory}");
        var hosts = Enumerable.Range(0, options.Hosts)
            .Select(index => new HostProcess(options.Hosts == 1 ? dataDirectory : Path.Combine(dataDirectory, "host-" + HostName(index)), store.Environment))
            .ToArray();
        try
        {
            var pans = await ProvisionAsync(hosts[0], options);
            await Task.WhenAll(hosts.Select(host => host.StartAsync(HostStartTimeout)));
            var expectations = new Expectations();
            var terminalIds = TerminalIds(options.Terminals);
            var clients = await Task.WhenAll(terminalIds.Select((id, index) => ConnectAsync(id, hosts, index % hosts.Length, cancellationToken)));

            using var stopTraffic = new CancellationTokenSource();
            var traffic = clients.Select((client, index) => DriveAsync(client, pans, expectations, new Random(options.Seed + index + 1), stopTraffic.Token)).ToArray();
            var kills = 0;
            var databaseCrashes = 0;
            var firstVictim = random.Next(hosts.Length);
            for (var round = 1; round <= options.Rounds; round++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, (int)options.MaxRoundLength.TotalMilliseconds)), cancellationToken);
                if (options.CrashDatabaseAsync is { } crashDatabase && round % 3 == 0)
                {
                    await crashDatabase(TimeSpan.FromMilliseconds(random.Next(200, 1500)));
                    databaseCrashes++;
                    await log.WriteLineAsync(
                        $"round {round}: database crashed and restarted; {expectations.Requests} requests, {expectations.Approvals.Count} approvals, {expectations.Timeouts} timeouts so far");
                    continue;
                }

                // In turn, so that every host dies and every host takes over another's terminals.
                var victim = (firstVictim + round - 1) % hosts.Length;
                hosts[victim].Kill();
                kills++;

                // With others up, the victim stays down long enough for its terminals to move over; alone, it comes back fast.
                await Task.Delay(hosts.Length > 1 ? random.Next(300, 1500) : random.Next(0, 300), cancellationToken);
                await hosts[victim].StartAsync(HostStartTimeout);
                await log.WriteLineAsync(
                    $"round {round}: host {HostName(victim)} killed and restarted; {expectations.Requests} requests, {expectations.Approvals.Count} approvals, {expectations.Timeouts} timeouts so far");
            }

            // Let the terminals settle on healthy hosts: traffic stops, every reversal they owe gets acknowledged.
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            await stopTraffic.CancelAsync();
            await Task.WhenAll(traffic);
            await expectations.AllReversalsSettled().WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);

            // Evidence that fail-over happened: a terminal serves from another host only after its own went away.
            var awayFromHome = clients.Where((client, index) =>
                client.Connection.Endpoint != "127.0.0.1:" + hosts[index % hosts.Length].Port.ToString(CultureInfo.InvariantCulture)).Count();
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            await Task.WhenAll(hosts.Select(host => host.StopAsync(HostStopTimeout)));
            var violations = await CheckBooksAsync(store, hosts.Length == 1 ? dataDirectory : Path.Combine(dataDirectory, "host-a"), pans, expectations);
            var (verifyExit, verifyOutput) = await hosts[0].AdminAsync("verify");
            if (verifyExit != 0)
            {
                violations.Add("the host's own verify failed: " + verifyOutput.Trim());
            }

            var report = new CrashReport(options.Seed, hosts.Length, kills, databaseCrashes, awayFromHome, expectations.Requests, expectations.Approvals.Count, expectations.Timeouts, expectations.ReversalsAcknowledged, violations);
            await log.WriteLineAsync(report.ToString());
            if (options.DataDirectory is null && report.Holds && Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }

            return report;
        }
        finally
        {
            foreach (var host in hosts)
            {
                host.Dispose();
            }
        }
    }

    private static string HostName(int index) => ((char)('a' + index)).ToString();

    /// <summary>A terminal homed on one host that fails over to the others, in turn, when its link is lost.</summary>
    private static Task<AtmTerminalClient> ConnectAsync(string terminalId, HostProcess[] hosts, int home, CancellationToken cancellationToken) =>
        AtmTerminalClient.ConnectAsync(
            new TerminalConnectionOptions
            {
                Port = hosts[home].Port,
                FailoverHosts = [.. Enumerable.Range(1, hosts.Length - 1).Select(offset => "127.0.0.1:" + hosts[(home + offset) % hosts.Length].Port.ToString(CultureInfo.InvariantCulture))],
                ReconnectDelay = TimeSpan.FromMilliseconds(100),
                MaxReconnectDelay = TimeSpan.FromSeconds(1),
                EchoInterval = TimeSpan.FromSeconds(5),
            },
            new TerminalClientOptions
            {
                TerminalId = terminalId,
                RequestTimeout = TimeSpan.FromSeconds(2),
                ReversalRetryInterval = TimeSpan.FromMilliseconds(500),
            },
            cancellationToken);

    private static async Task<IReadOnlyList<string>> ProvisionAsync(HostProcess host, CrashTestOptions options)
    {
        using var pinFile = new Fixtures.OwnerOnlySecretFile(CardPin);
        var (exit, output) = await host.AdminAsync(
            "add-cards", "--count", options.Cards.ToString(CultureInfo.InvariantCulture), "--prefix", CardPrefix, "--pin-file", pinFile.Path, "--expiry", "3012",
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

    private static async Task<List<string>> CheckBooksAsync(CrashStore store, string dataDirectory, IReadOnlyList<string> pans, Expectations expectations)
    {
        var violations = new List<string>();
        if (expectations.Unresolved > 0)
        {
            violations.Add($"{expectations.Unresolved} reversals were abandoned, so those withdrawals cannot be accounted for");
        }

        await using var books = await store.OpenAsync(dataDirectory);
        var ledger = (ILedgerAdmin)books;
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
