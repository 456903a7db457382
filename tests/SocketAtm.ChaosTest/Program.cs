using System.CommandLine;
using SocketAtm.ChaosTest;
using SocketAtm.Fixtures;

var seed = new Option<int?>("--seed") { Description = "Seed of every random choice (printed by every run): the same seed replays the same schedule." };
var hosts = new Option<int>("--hosts") { Description = "1: one host on LiteDB; 2: two hosts on one PostgreSQL database.", DefaultValueFactory = _ => 1 };
var terminals = new Option<int>("--terminals") { Description = "Terminals, each on its own connection.", DefaultValueFactory = _ => 12 };
var cards = new Option<int>("--cards") { Description = "On-us cards the terminals share.", DefaultValueFactory = _ => 4 };
var kills = new Option<int>("--kills") { Description = "Fault phases, each ending with a host SIGKILLed and restarted.", DefaultValueFactory = _ => 8 };
var phase = new Option<double>("--max-phase-seconds") { Description = "Longest fault phase.", DefaultValueFactory = _ => 5 };
var baseline = new Option<double>("--baseline-seconds") { Description = "On-us latency measured with no fault, before the blackout.", DefaultValueFactory = _ => 8 };
var blackout = new Option<double>("--blackout-seconds") { Description = "The issuer answers nothing this long (the breaker opens).", DefaultValueFactory = _ => 8 };
var tolerance = new Option<double>("--p99-tolerance") { Description = "How much higher on-us p99 may be during the blackout (0.10: 10 %).", DefaultValueFactory = _ => 0.10 };
var standIn = new Option<bool>("--stand-in")
{
    Description = "Stand in for the issuer while its route is unavailable, with a published test PVK given to the hosts in an owner-only file.",
};
var data = new Option<string?>("--data") { Description = "Data directory to keep (default: a temporary one, removed after a pass)." };
var connectionString = new Option<string?>("--connection-string")
{
    Description = "An empty PostgreSQL database for two hosts (default with --hosts 2: a throw-away PostgreSQL started for the run).",
};
var root = new RootCommand(
    "SocketAtm chaos test: terminals on on-us and not-on-us cards, issuer faults and a blackout, hosts SIGKILLed; then store-and-forward drains and the books are checked.")
{
    seed, hosts, terminals, cards, kills, phase, baseline, blackout, tolerance, standIn, data, connectionString,
};
root.SetAction(async (result, cancellation) =>
{
    var database = result.GetValue(connectionString);
    var needsPostgreSql = database is null && result.GetValue(hosts) > 1;
    if (needsPostgreSql && PostgreSqlServer.UnavailableReason is { } unavailable)
    {
        Console.Error.WriteLine($"Two hosts need PostgreSQL: {unavailable} Or give --connection-string.");
        return 64;
    }

    await using var postgres = needsPostgreSql ? await PostgreSqlServer.StartAsync() : null;
    if (postgres is not null)
    {
        database = await postgres.CreateDatabaseAsync();
        Console.WriteLine($"started a throw-away PostgreSQL on port {postgres.Port}");
    }

    var options = new ChaosOptions
    {
        Seed = result.GetValue(seed) ?? Environment.TickCount,
        Hosts = result.GetValue(hosts),
        ConnectionString = database,
        Terminals = result.GetValue(terminals),
        Cards = result.GetValue(cards),
        Kills = result.GetValue(kills),
        MaxPhaseLength = TimeSpan.FromSeconds(result.GetValue(phase)),
        BaselineLength = TimeSpan.FromSeconds(result.GetValue(baseline)),
        BlackoutLength = TimeSpan.FromSeconds(result.GetValue(blackout)),
        P99Tolerance = result.GetValue(tolerance),
        StandIn = result.GetValue(standIn),
        DataDirectory = result.GetValue(data),
    };
    try
    {
        options.Validate();
    }
    catch (ArgumentException problem)
    {
        Console.Error.WriteLine(problem.Message);
        return 64;
    }

    var report = await ChaosRun.RunAsync(options, Console.Out, cancellation);
    return report.Holds ? 0 : 1;
});
return await root.Parse(args).InvokeAsync();
