using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace SocketAtm.Bench.Peer;

/// <summary>
/// Runs bench/peers/npm-iso8583/pack-unpack.js: finds the folder, installs the pinned package with <c>npm ci</c> when it
/// is not installed yet, and reads the script's one line of JSON.
/// </summary>
internal static class NodePeer
{
    private const string PeerFolder = "bench/peers/npm-iso8583";

    /// <summary>The peer's folder, looked for above the working directory and above this program.</summary>
    public static string? FindFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, PeerFolder);
                if (File.Exists(Path.Combine(candidate, "package.json")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Node's version, or null when there is no <c>node</c> to run.</summary>
    public static string? NodeVersion()
    {
        try
        {
            var (exitCode, output) = Run("node", ["--version"], Directory.GetCurrentDirectory(), captureOutput: true);
            return exitCode == 0 ? output.Trim() : null;
        }
        catch (Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Installs the locked dependencies unless the pinned package is already there.</summary>
    /// <exception cref="InvalidOperationException">npm is missing or failed.</exception>
    public static void EnsureInstalled(string folder)
    {
        if (File.Exists(Path.Combine(folder, "node_modules", "iso_8583", "package.json")))
        {
            return;
        }

        Console.WriteLine("Installing the npm peer's locked dependencies (npm ci)...");
        int exitCode;
        try
        {
            (exitCode, _) = Run("npm", ["ci", "--no-audit", "--no-fund"], folder, captureOutput: false);
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException("npm is not installed, so the peer's package cannot be installed.", exception);
        }

        if (exitCode != 0)
        {
            throw new InvalidOperationException($"npm ci failed with exit code {exitCode}.");
        }
    }

    /// <summary>Runs the peer's loop and parses what it printed.</summary>
    /// <exception cref="InvalidOperationException">The script failed or printed something else.</exception>
    public static NodePeerResult Measure(string folder, int iterations, int rounds)
    {
        var (exitCode, output) = Run(
            "node",
            ["pack-unpack.js", iterations.ToString(System.Globalization.CultureInfo.InvariantCulture), rounds.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            folder,
            captureOutput: true);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"pack-unpack.js failed with exit code {exitCode}.");
        }

        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        return new NodePeerResult(
            root.GetProperty("version").GetString() ?? "?",
            root.GetProperty("node").GetString() ?? "?",
            root.GetProperty("packNanoseconds").GetDouble(),
            root.GetProperty("unpackNanoseconds").GetDouble(),
            Convert.FromHexString(root.GetProperty("frameHex").GetString() ?? string.Empty));
    }

    private static (int ExitCode, string Output) Run(string program, string[] arguments, string workingDirectory, bool captureOutput)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = captureOutput,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = captureOutput ? process.StandardOutput.ReadToEnd() : string.Empty;
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
