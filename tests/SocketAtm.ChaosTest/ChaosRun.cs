using System.Globalization;
using SocketAtm.Client;
using SocketAtm.CrashTest;
using SocketAtm.IssuerSim.Faults;

namespace SocketAtm.ChaosTest;

/// <summary>
/// One chaos run (issue 16): the issuer simulator in this process, the host(s) as processes with a route to it, and
/// terminals on on-us and not-on-us cards. First on-us latency is measured with no fault, then during a blackout (the
/// issuer answers nothing, the breaker opens); then fault phases follow, each ending with a host SIGKILLed and restarted.
/// The faults stop, the terminals settle, store-and-forward drains, and the books are checked (<see cref="ChaosChecks"/>).
/// </summary>
public static class ChaosRun
{
    /// <summary>Each on-us card's opening balance: 1,000,000.00, so no card runs dry.</summary>
    internal const long OpeningBalance = 100_000_000;
    private const string CardPrefix = "59";
    private static readonly TimeSpan HostStartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan HostStopTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SignOnTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DrainQuiet = TimeSpan.FromSeconds(3);

    public static async Task<ChaosReport> RunAsync(ChaosOptions options, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        var random = new Random(options.Seed);
        var dataDirectory = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "socketatm-chaos-" + Guid.NewGuid().ToString("N")[..12]);
        var store = new ChaosStore(options.ConnectionString);
        await log.WriteLineAsync(Invariant(
            $"chaos test: seed {options.Seed}, {options.Hosts} host(s) on {store.Description}, {options.Terminals} terminals, {options.Kills} fault phases with a kill each, stand-in {(options.StandIn ? "on" : "off")}, data {dataDirectory}"));
        await using var issuer = await ChaosIssuer.StartAsync(Path.Combine(dataDirectory, "issuer"));
        var environment = store.Environment.Concat(ChaosRoute.Environment).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        var hostDirectories = Enumerable.Range(0, options.Hosts).Select(index => Path.Combine(dataDirectory, "host-" + HostName(index))).ToArray();
        var hosts = hostDirectories.Select(directory => new HostProcess(directory, environment)).ToArray();
        var hostArguments = ChaosRoute.HostArguments(issuer.Port, options.StandIn ? ChaosRoute.WriteStandInPvk(dataDirectory) : null);
        try
        {
            var pans = await ProvisionAsync(hosts[0], options);
            await Task.WhenAll(hosts.Select(host => host.StartAsync(HostStartTimeout, hostArguments)));
            await WaitUntilSignedOnAsync(hostDirectories, cancellationToken);

            var expectations = new ChaosExpectations();
            var latency = new OnUsLatency();
            var terminalIds = ChaosTerminals.Ids(options.Terminals);
            var clients = await Task.WhenAll(terminalIds.Select((id, index) => ChaosTerminals.ConnectAsync(id, hosts, index % hosts.Length, cancellationToken)));
            var notOnUs = new NotOnUsPace(options.NotOnUsPerSecond);
            using var stopTraffic = new CancellationTokenSource();
            var traffic = clients.Select((client, index) =>
                ChaosTerminals.DriveAsync(client, pans, notOnUs, expectations, latency, new Random(options.Seed + index + 1), stopTraffic.Token)).ToArray();

            // Check 5's two windows, back to back in one run: no fault, then nothing answered at all.
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); // the terminals' first connects and sign-ons out of the way
            latency.MeasureBefore();
            await Task.Delay(options.BaselineLength, cancellationToken);
            var opensBefore = hostDirectories.Sum(directory => AcquirerBooks.BreakerOpens(directory, ChaosRoute.Name));
            await issuer.RestartAsync(FaultSchedule.Blackout(random.Next()));
            latency.MeasureDuring();
            await Task.Delay(options.BlackoutLength, cancellationToken);
            latency.Stop();
            var breakerOpens = hostDirectories.Sum(directory => AcquirerBooks.BreakerOpens(directory, ChaosRoute.Name)) - opensBefore;
            await log.WriteLineAsync(Invariant(
                $"blackout: {FaultSchedule.Describe(FaultSchedule.Blackout(0))} for {options.BlackoutLength.TotalSeconds:0.#} s, breaker opened {breakerOpens} times; {expectations.Requests} withdrawals so far"));

            var kills = 0;
            for (var phase = 1; phase <= options.Kills; phase++)
            {
                var faults = FaultSchedule.Phase(random);
                await issuer.RestartAsync(faults);
                var maxPhase = (int)options.MaxPhaseLength.TotalMilliseconds;
                await Task.Delay(random.Next(maxPhase / 3, maxPhase), cancellationToken);
                var victim = (phase - 1) % hosts.Length;
                hosts[victim].Kill();
                kills++;
                await Task.Delay(hosts.Length > 1 ? random.Next(300, 1500) : random.Next(0, 300), cancellationToken);
                await hosts[victim].StartAsync(HostStartTimeout, hostArguments);
                await log.WriteLineAsync(Invariant(
                    $"phase {phase}: {FaultSchedule.Describe(faults)}; host {HostName(victim)} killed and restarted; {expectations.Requests} withdrawals, {expectations.Timeouts} timeouts so far"));
            }

            // The faults stop; the terminals settle every reversal they owe, then store-and-forward drains.
            await issuer.RestartAsync(new FaultOptions());
            await WaitUntilSignedOnAsync(hostDirectories, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            await stopTraffic.CancelAsync();
            await Task.WhenAll(traffic);
            await expectations.AllReversalsSettled().WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            var books = await DrainAsync(issuer, hosts, hostDirectories, hostArguments, store, terminalIds, pans, options.DrainTimeout, log, cancellationToken);
            var issuerBook = issuer.Book();
            var evidence = new ChaosEvidence(books, issuerBook, expectations, latency.Summary());
            var violations = ChaosChecks.Run(evidence, options, DateTimeOffset.UtcNow);
            if (breakerOpens == 0)
            {
                violations.Add("the blackout did not open the breaker: it proved nothing of the blackout");
            }

            var report = new ChaosReport(
                options.Seed, options.Hosts, expectations.Requests, expectations.NotOnUsRequests, expectations.NotOnUsApprovals, expectations.Timeouts,
                expectations.ReversalsAcknowledged, options.Kills, kills, breakerOpens,
                books.Book.Select(line => line.Rrn).Union(issuerBook.Select(line => line.Rrn), StringComparer.Ordinal).Count(),
                issuerBook.Count(line => line.ReversalResponse.Length > 0), ChaosChecks.StandInApprovals(books),
                ChaosChecks.DescribeLatency(evidence.Latency, options.P99Tolerance) + (options.AssertLatency ? string.Empty : " (reported, not asserted)"),
                violations);
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

    /// <summary>
    /// Lets store-and-forward drain: waits until the issuer's book is quiet, stops the hosts and reads their books; while
    /// something not expired is still owed and time remains, starts them again to go on sending. Returns the last books read.
    /// </summary>
    private static async Task<AcquirerBooksSnapshot> DrainAsync(
        ChaosIssuer issuer, HostProcess[] hosts, string[] hostDirectories, string[] hostArguments, ChaosStore store, string[] terminalIds, IReadOnlyList<string> pans,
        TimeSpan timeout, TextWriter log, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await issuer.WaitUntilQuietAsync(DrainQuiet, Remaining(deadline), cancellationToken);
            await Task.WhenAll(hosts.Select(host => host.StopAsync(HostStopTimeout)));
            var books = await AcquirerBooks.ReadAsync(hostDirectories[0], store.ConnectionString, store.KeyEncryptionKey, terminalIds, pans, cancellationToken);
            await log.WriteLineAsync(Invariant($"drain: {books.Saf.Count} still owed in store-and-forward"));
            if (books.Saf.Count == 0 || DateTime.UtcNow > deadline)
            {
                return books;
            }

            await Task.WhenAll(hosts.Select(host => host.StartAsync(HostStartTimeout, hostArguments)));
            await WaitUntilSignedOnAsync(hostDirectories, cancellationToken);
        }
    }

    private static TimeSpan Remaining(DateTime deadline) => deadline > DateTime.UtcNow ? deadline - DateTime.UtcNow : TimeSpan.Zero;

    private static async Task WaitUntilSignedOnAsync(string[] hostDirectories, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + SignOnTimeout;
        while (hostDirectories.Any(directory => AcquirerBooks.SignedOn(directory, ChaosRoute.Name) == 0))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(Invariant($"A host did not sign on to the issuer simulator within {SignOnTimeout.TotalSeconds:0} s."));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private static async Task<IReadOnlyList<string>> ProvisionAsync(HostProcess host, ChaosOptions options)
    {
        using var pinFile = new Fixtures.OwnerOnlySecretFile(ChaosTerminals.OnUsPin);
        var (exit, output) = await host.AdminAsync(
            "add-cards", "--count", options.Cards.ToString(CultureInfo.InvariantCulture), "--prefix", CardPrefix, "--pin-file", pinFile.Path, "--expiry", "3012",
            "--balance", (OpeningBalance / 100).ToString(CultureInfo.InvariantCulture), "--daily-amount", "100000000.00", "--daily-count", "100000000");
        if (exit != 0)
        {
            throw new InvalidOperationException("Provisioning cards failed: " + output);
        }

        foreach (var id in ChaosTerminals.Ids(options.Terminals).Where(id => !id.StartsWith("ATM0000", StringComparison.Ordinal) && id != "ATM00010"))
        {
            (exit, output) = await host.AdminAsync("add-terminal", "--id", id, "--demo-keys");
            if (exit != 0)
            {
                throw new InvalidOperationException($"Registering {id} failed: {output}");
            }
        }

        return AcquirerBooks.GeneratedPans(CardPrefix, options.Cards);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
