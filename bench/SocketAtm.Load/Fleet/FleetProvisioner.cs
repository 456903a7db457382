using System.Globalization;
using SocketAtm.Load.Hosting;

namespace SocketAtm.Load.Fleet;

/// <summary>
/// Registers the fleet with the admin command line, as an operator would: in a stopped host's data directory, or in the
/// shared database the environment names (the storage settings and the key-encryption key come from there).
/// </summary>
internal static class FleetProvisioner
{
    private static readonly TimeSpan AdminTimeout = TimeSpan.FromMinutes(5);

    public static async Task ProvisionAsync(
        string serverPath,
        string dataDirectory,
        FleetSettings fleet,
        IReadOnlyDictionary<string, string?> environment,
        TextWriter log)
    {
        List<string> terminals =
        [
            "admin", "add-terminals", "--data", dataDirectory,
            "--count", fleet.Terminals.ToString(CultureInfo.InvariantCulture),
            "--prefix", fleet.TerminalPrefix,
            "--first", fleet.FirstTerminal.ToString(CultureInfo.InvariantCulture),
            "--demo-keys",
        ];
        if (fleet.UseMac)
        {
            terminals.Add("--mac");
        }

        var amount = Amount(fleet.OpeningBalance);
        using var pinFile = new Fixtures.OwnerOnlySecretFile(fleet.Pin);
        List<string> cards =
        [
            "admin", "add-cards", "--data", dataDirectory,
            "--count", fleet.Cards.ToString(CultureInfo.InvariantCulture),
            "--prefix", fleet.CardPrefix,
            "--first", fleet.FirstCard.ToString(CultureInfo.InvariantCulture),
            "--pin-file", pinFile.Path,
            "--expiry", fleet.Expiry,
            "--balance", amount,
            "--daily-amount", amount,
            "--daily-count", int.MaxValue.ToString(CultureInfo.InvariantCulture),
        ];

        foreach (var command in new[] { terminals, cards })
        {
            var (exitCode, output) = await ChildProcess.RunAsync(serverPath, command, AdminTimeout, environment);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"admin {command[1]} failed with exit code {exitCode}:{Environment.NewLine}{output}");
            }

            await log.WriteLineAsync("  " + output.Trim());
        }
    }

    private static string Amount(long minorUnits) =>
        string.Create(CultureInfo.InvariantCulture, $"{minorUnits / 100}.{minorUnits % 100:D2}");
}
