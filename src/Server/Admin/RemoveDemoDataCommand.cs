using System.CommandLine;
using System.Globalization;

namespace SocketAtm.Server.Admin;

/// <summary>
/// <c>admin remove-demo-data</c>: takes the published demo data out of a ledger so that a host off loopback may serve
/// it — the terminals with a demo key, the demo cards (disabled instead where the journal refers to them), the demo
/// PVK (replaced with a fresh random one where new cards were issued under it) and the demo CVK (replaced with a fresh
/// random one). Prints what it did and then runs the invariant check.
/// </summary>
internal static class RemoveDemoDataCommand
{
    public static Command Create(Option<string?> data, AdminConsole console)
    {
        var output = console.Output;
        var command = new Command(
            "remove-demo-data",
            "Remove the demo terminals, demo cards (disabled where the journal refers to them), the demo PVK and the demo CVK (replaced with new random ones).");
        command.SetAction((result, cancellation) => AdminCommandLine.WithLedgerAsync(result, data, console, async ledger =>
        {
            var removal = await ledger.RemoveDemoDataAsync(cancellation);
            await output.WriteLineAsync(removal.TerminalsRemoved.Count == 0
                ? "No terminal with a demo key."
                : string.Create(CultureInfo.InvariantCulture, $"{removal.TerminalsRemoved.Count} terminals with demo keys removed: {string.Join(", ", removal.TerminalsRemoved)}."));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{removal.CardsRemoved} demo cards removed with their accounts."));
            if (removal.CardsDisabled.Count > 0)
            {
                await output.WriteLineAsync(
                    $"Kept but disabled (Restricted, answered 62), because the journal refers to them: {string.Join(", ", removal.CardsDisabled)}.");
            }

            await output.WriteLineAsync(removal.PinVerificationKeyReplaced
                ? "The demo PIN verification key was taken out (a new random one takes its place where new cards were issued under it; hosts use it from their next start)."
                : "No PIN verification key held is the demo one: kept.");
            await output.WriteLineAsync(removal.CardVerificationKeyReplaced
                ? "The demo card verification key (CVK) was replaced with a new random one: import the issuer's with `admin import-cvk`, or no real card's track 2 verifies (59)."
                : "The card verification key (CVK) is not the demo one: kept.");
            if (removal.OtherCardsUnderDemoPvk > 0)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"WARNING: {removal.OtherCardsUnderDemoPvk} other cards had their PINs verified under the demo PVK: their PINs no longer verify; issue them again."));
            }

            var report = await ledger.VerifyInvariantsAsync(cancellation);
            await output.WriteLineAsync(report.Holds ? "Invariants hold." : "Invariants DO NOT hold.");
            return report.Holds ? 0 : 1;
        }));
        return command;
    }
}
