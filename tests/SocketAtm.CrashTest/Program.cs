using System.CommandLine;
using SocketAtm.CrashTest;
using SocketAtm.Fixtures;

var rounds = new Option<int>("--rounds") { Description = "Kill-and-restart rounds.", DefaultValueFactory = _ => 20 };
var terminals = new Option<int>("--terminals") { Description = "Terminals, each on its own connection.", DefaultValueFactory = _ => 24 };
var cards = new Option<int>("--cards") { Description = "Cards the terminals share.", DefaultValueFactory = _ => 8 };
var maxRound = new Option<double>("--max-round-seconds") { Description = "Longest traffic between two kills.", DefaultValueFactory = _ => 3 };
var seed = new Option<int?>("--seed") { Description = "Seed of the random choices (printed by every run)." };
var data = new Option<string?>("--data") { Description = "Data directory to keep (default: a temporary one, removed after a pass)." };
var hosts = new Option<int>("--hosts")
{
    Description = "Hosts on one PostgreSQL database; each round kills one while its terminals fail over (default 1: LiteDB).",
    DefaultValueFactory = _ => 1,
};
var connectionString = new Option<string?>("--connection-string")
{
    Description = "An empty PostgreSQL database for the books (default with --hosts over 1: a throw-away PostgreSQL 15 started for the run).",
};
var crashDatabase = new Option<bool>("--crash-database")
{
    Description = "Every third round, crash the throw-away PostgreSQL (immediate stop) and restart it instead of killing a host.",
};
var root = new RootCommand("SocketAtm crash test: SIGKILL the host under load, restart it, and check the books.")
{
    rounds, terminals, cards, maxRound, seed, data, hosts, connectionString, crashDatabase,
};
root.SetAction(async (result, cancellation) =>
{
    var database = result.GetValue(connectionString);
    if (database is not null && result.GetValue(crashDatabase))
    {
        Console.Error.WriteLine("--crash-database crashes the throw-away PostgreSQL the tool starts: leave out --connection-string.");
        return 64;
    }

    var needsPostgreSql = database is null && (result.GetValue(hosts) > 1 || result.GetValue(crashDatabase));
    if (needsPostgreSql && PostgreSqlServer.UnavailableReason is { } unavailable)
    {
        Console.Error.WriteLine($"Several hosts and --crash-database need PostgreSQL: {unavailable} Or give --connection-string.");
        return 64;
    }

    await using var postgres = needsPostgreSql ? await PostgreSqlServer.StartAsync() : null;
    if (postgres is not null)
    {
        database = await postgres.CreateDatabaseAsync();
        Console.WriteLine($"started a throw-away PostgreSQL on port {postgres.Port}");
    }

    var report = await CrashRun.RunAsync(
        new CrashTestOptions
        {
            Rounds = result.GetValue(rounds),
            Terminals = result.GetValue(terminals),
            Cards = result.GetValue(cards),
            MaxRoundLength = TimeSpan.FromSeconds(result.GetValue(maxRound)),
            Seed = result.GetValue(seed) ?? Environment.TickCount,
            DataDirectory = result.GetValue(data),
            Hosts = result.GetValue(hosts),
            ConnectionString = database,
            CrashDatabaseAsync = result.GetValue(crashDatabase) ? postgres!.CrashAndRestartAsync : null,
        },
        Console.Out,
        cancellation);
    return report.Holds ? 0 : 1;
});
return await root.Parse(args).InvokeAsync();
