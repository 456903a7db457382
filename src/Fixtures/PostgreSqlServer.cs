using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace SocketAtm.Fixtures;

/// <summary>
/// A throw-away PostgreSQL server for tests: Debian's PostgreSQL 15 binaries, a cluster in a temporary directory with
/// trust authentication, listening on a free loopback port and a socket in that directory only. As root, the server
/// runs as the <c>postgres</c> OS user (PostgreSQL refuses to run as root). Each test asks for a database of its own.
/// The load harness (bench/SocketAtm.Load) starts its throw-away database with it too.
/// </summary>
public sealed class PostgreSqlServer : IAsyncDisposable
{
    /// <summary>Names a directory holding initdb and pg_ctl, instead of the usual places (another version, another distribution).</summary>
    public const string BinaryDirectoryVariable = "SOCKETATM_TESTS_POSTGRESQL_BIN";

    private static readonly string[] BinaryDirectories = Environment.GetEnvironmentVariable(BinaryDirectoryVariable) is { Length: > 0 } chosen
        ? [chosen]
        : ["/usr/lib/postgresql/15/bin", "/usr/local/bin", "/usr/bin"];
    private readonly string _directory;
    private readonly string _binaries;
    private int _databases;

    private PostgreSqlServer(string directory, string binaries, int port)
    {
        _directory = directory;
        _binaries = binaries;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The directory holding the cluster (<c>data</c>) and the server's log (<c>server.log</c>).</summary>
    public string DirectoryPath => _directory;

    /// <summary>Stop the server on dispose but leave its directory behind (evidence of a failed run).</summary>
    public bool KeepFiles { get; set; }

    /// <summary>The postmaster's process id (the first line of postmaster.pid), or null when it is not running.</summary>
    public int? ServerProcessId
    {
        get
        {
            try
            {
                var first = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
                return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    /// <summary>Why no throw-away PostgreSQL can be started here (a phrase to follow "PostgreSQL tests SKIPPED: "), or null when it can.</summary>
    public static string? UnavailableReason { get; } = FindUnavailableReason();

    /// <summary>PostgreSQL as the tool the PostgreSQL tests lack here, or null when a server can be started.</summary>
    public static MissingTool? Missing => UnavailableReason is { } reason ? new MissingTool("PostgreSQL", reason) : null;

    /// <summary>initdb, then start on a free port; fails loudly (with the server's log) when the server does not come up.</summary>
    public static async Task<PostgreSqlServer> StartAsync()
    {
        if (UnavailableReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        var binaries = FindBinaries()!;
        var directory = Path.Combine(Path.GetTempPath(), "socketatm-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var server = new PostgreSqlServer(directory, binaries, FreeTcpPort.Take());
        try
        {
            if (IsRoot)
            {
                await RunAsync("chown", ["postgres:postgres", directory], asPostgres: false);
            }

            await server.RunToolAsync("initdb", ["-D", server.DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
            await server.StartServerAsync();
            return server;
        }
        catch
        {
            var log = Path.Combine(directory, "server.log");
            var detail = File.Exists(log) ? await File.ReadAllTextAsync(log) : "(no server log)";
            await server.DisposeAsync();
            throw new InvalidOperationException("PostgreSQL did not start: " + detail);
        }
    }

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>
    /// Crashes the server as a power cut would (<c>pg_ctl stop -m immediate</c>: no checkpoint, every backend killed,
    /// crash recovery from the WAL on the next start), then starts it again on the same port.
    /// </summary>
    public async Task CrashAndRestartAsync(TimeSpan downtime)
    {
        await CrashAsync();
        await Task.Delay(downtime);
        await StartServerAsync();
    }

    /// <summary>Crashes the server as a power cut would and leaves it down.</summary>
    public Task CrashAsync() => RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);

    private Task StartServerAsync() =>
        RunToolAsync(
            "pg_ctl",
            [
                "-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
                "-o", string.Create(CultureInfo.InvariantCulture, $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_directory} -c max_connections=300"),
                "start",
            ]);

    /// <summary>A connection string for <paramref name="database"/> (trust auth: no password).</summary>
    public string ConnectionString(string database, int maxPoolSize = 20) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Maximum Pool Size={maxPoolSize}");

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(int maxPoolSize = 20)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"ledger_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}");
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name, maxPoolSize);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Directory.Exists(DataDirectory))
            {
                await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
            }
        }
        catch (InvalidOperationException)
        {
            // Not running: nothing to stop.
        }

        if (KeepFiles)
        {
            return;
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task RunToolAsync(string tool, string[] arguments) => RunAsync(Path.Combine(_binaries, tool), arguments, asPostgres: IsRoot);

    private static async Task RunAsync(string program, string[] arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var argument in (string[])["-u", "postgres", "--", program])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static string? FindBinaries() =>
        BinaryDirectories.FirstOrDefault(directory => File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl")));

    private static string? FindUnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "this helper starts PostgreSQL 15 binaries, and only knows where they are on Linux.";
        }

        if (FindBinaries() is null)
        {
            return "no initdb/pg_ctl in " + string.Join(", ", BinaryDirectories) + " (install postgresql-15, or set " + BinaryDirectoryVariable + ").";
        }

        if (IsRoot && !File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser") && !File.Exists("/usr/bin/runuser"))
        {
            return "running as root, but runuser is missing to start PostgreSQL as the postgres user.";
        }

        return null;
    }
}
