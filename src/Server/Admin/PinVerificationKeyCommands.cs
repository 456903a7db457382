using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Admin;

/// <summary>
/// <c>import-pvk</c> and <c>list-pvks</c>: the issuer's PIN verification keys. A PVK is entered as two or three
/// components (<see cref="KeyComponentEntry"/>) under a PVKI; new cards are issued under the last one imported, and
/// every card keeps verifying under the PVK of its own PVKI.
/// </summary>
internal static class PinVerificationKeyCommands
{
    public const string ComponentFileOption = "--pvk-component-file";

    public static IEnumerable<Command> Create(Option<string?> data, AdminConsole console) => [Import(data, console), List(data, console)];

    private static Command Import(Option<string?> data, AdminConsole console)
    {
        var pvki = new Option<int>("--pvki") { Description = "The PVKI (0–9) the key is known by; cards issued under it carry it.", Required = true };
        var components = new Option<string[]>(ComponentFileOption)
        {
            Description = "A file holding one PVK component (32 hex digits, optionally followed by its KCV, which is checked); give it 2 or 3 times. Without it the components are asked for at prompts that show nothing.",
        };
        var command = new Command(
            "import-pvk",
            "Import a PIN verification key as components under a PVKI: new cards are issued under it; cards of the other PVKIs keep verifying under theirs.")
        {
            pvki, components,
        };
        command.SetAction((result, cancellation) => AdminCommandLine.WithLedgerAsync(result, data, console, async ledger =>
        {
            var index = result.GetValue(pvki);
            if (index is < 0 or > 9)
            {
                throw new AdminException("--pvki is one digit, 0 to 9.");
            }

            var key = new KeyComponentEntry("PVK", ComponentFileOption, console).Read(result.GetValue(components) ?? []);
            try
            {
                await ledger.ImportPinVerificationKeyAsync(new PinVerificationKey(key, index), cancellation);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }

            await console.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"PVK imported as PVKI {index}: new cards are issued under it. On PostgreSQL, restart the other hosts so that they verify under it too."));
            await WriteHeldAsync(ledger, console, cancellation);
            return 0;
        }));
        return command;
    }

    private static Command List(Option<string?> data, AdminConsole console)
    {
        var command = new Command("list-pvks", "Show the PVKs held, by PVKI, with their KCVs and how many cards each verifies.");
        command.SetAction((result, cancellation) => AdminCommandLine.WithLedgerAsync(result, data, console, async ledger =>
        {
            await WriteHeldAsync(ledger, console, cancellation);
            return 0;
        }));
        return command;
    }

    private static async Task WriteHeldAsync(ILedgerAdmin ledger, AdminConsole console, CancellationToken cancellation)
    {
        await console.Output.WriteLineAsync("PVKI  KCV     cards");
        foreach (var held in await ledger.ListPinVerificationKeysAsync(cancellation))
        {
            var note = held.CheckValue is null ? "  NO KEY: these cards are answered 96" : held.IsIssuing ? "  new cards are issued under it" : string.Empty;
            await console.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{held.Index,4}  {held.CheckValue ?? "-",-6}  {held.Cards,5}{note}"));
        }
    }
}
