using System.CommandLine;
using System.Globalization;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Routing;

namespace SocketAtm.Server.Admin;

/// <summary>
/// <c>admin saf list|show|retry|disputes</c>: the store-and-forward queue of what the acquirer owes issuers (PROTOCOL.md §15.6).
/// Masked PANs only; an entry is named by its RRN (DE 37), the issuer's key for it too.
/// </summary>
internal static class SafCommands
{
    private const int ListLimit = 10_000;

    public static Command Create(Option<string?> data, AdminConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var saf = new Command("saf", "The store-and-forward queue: advices owed to issuers, queued or kept as exceptions.");
        saf.Subcommands.Add(List(data, console));
        saf.Subcommands.Add(Show(data, console));
        saf.Subcommands.Add(Retry(data, console));
        saf.Subcommands.Add(Disputes(data, console));
        return saf;
    }

    private static Command List(Option<string?> data, AdminConsole console)
    {
        var route = new Option<string?>("--route") { Description = "Only this route's queue." };
        var command = new Command("list", "List every owed advice, oldest first: queued, exceptions (refused by the issuer) and expired ones.") { route };
        command.SetAction((result, cancellation) => AdminCommandLine.WithLedgerAsync(result, data, console, async ledger =>
        {
            var entries = await Acquirer(ledger).ListSafAsync(result.GetValue(route), ListLimit, cancellation);
            var expiries = Expiries();
            var now = DateTimeOffset.UtcNow;
            if (entries.Count == 0)
            {
                await console.Output.WriteLineAsync("Nothing owed: the store-and-forward queue is empty.");
                return 0;
            }

            await console.Output.WriteLineAsync("route            RRN           card                  amount  reason  state      tries  next try (UTC)        last result");
            foreach (var entry in entries)
            {
                await console.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{entry.Route,-16} {entry.RetrievalReference,-13} {entry.MaskedPan,-19} {MinorUnits.Format(entry.Amount),10}  {entry.Reason,-6}  {StateOf(entry, expiries, now),-9}  {entry.Saf.Attempts,5}  {NextTry(entry),-20}  {entry.Saf.LastResult ?? "-"}"));
            }

            var exceptions = entries.Count(entry => entry.State == SafState.Exception);
            await console.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{entries.Count} owed, {exceptions} exceptions{(entries.Count == ListLimit ? $" (the first {ListLimit} shown)" : "")}."));
            return 0;
        }));
        return command;
    }

    private static Command Show(Option<string?> data, AdminConsole console)
    {
        var rrn = RrnArgument();
        var command = new Command("show", "Show one owed advice in full: what it reverses, its tries, claim and last result.") { rrn };
        command.SetAction((result, cancellation) => AdminCommandLine.WithLedgerAsync(result, data, console, async ledger =>
        {
            var entry = await FindAsync(ledger, result.GetRequiredValue(rrn), cancellation);
            var saf = entry.Saf;
            await console.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
                RRN          {entry.RetrievalReference} (route {entry.Route})
                Original     {entry.OriginalKey} ({entry.Kind}, MTI {entry.OriginalMti:D4} sent with STAN {entry.AcquirerStan:D6}, DE 7 {entry.AcquirerTransmission})
                Card         {entry.MaskedPan}
                Amount       {MinorUnits.Format(entry.Amount)}{(entry.Currency > 0 ? $" (currency {entry.Currency:D3})" : "")}{(entry.DispensedAmount is { } paid ? $", {MinorUnits.Format(paid)} dispensed" : "")}
                Reason       {entry.Reason} (DE 39 of the 0420)
                Owed since   {entry.OwedAt:yyyy-MM-dd HH:mm:ss} UTC
                State        {StateOf(entry, Expiries(), DateTimeOffset.UtcNow)}{(saf.RefusedWith is { } code ? $" (refused with {code}: admin saf retry {entry.RetrievalReference} sends it again)" : "")}
                Tries        {saf.Attempts} (the next is an {(entry.IsRepeat ? "0421" : "0420")}), next not before {NextTry(entry)}
                Claim        {(saf.ClaimedBy is { } by ? $"{by} until {DateTimeOffset.FromUnixTimeMilliseconds(saf.ClaimedUntilUnixMilliseconds):yyyy-MM-dd HH:mm:ss} UTC" : "none")}
                Last result  {saf.LastResult ?? "-"}
                """));
            return 0;
        }));
        return command;
    }

    private static Command Retry(Option<string?> data, AdminConsole console)
    {
        var rrn = RrnArgument();
        var command = new Command("retry", "Put an exception (an advice the issuer refused) back in the queue: sent again, as an 0421, at the host's next round.") { rrn };
        command.SetAction((result, cancellation) => AdminCommandLine.WithLedgerAsync(result, data, console, async ledger =>
        {
            var entry = await FindAsync(ledger, result.GetRequiredValue(rrn), cancellation);
            if (entry.State != SafState.Exception)
            {
                throw new AdminException($"The advice of RRN {entry.RetrievalReference} is queued, not an exception: the host sends it anyway.");
            }

            var retried = await Acquirer(ledger).RetrySafAsync(entry.OriginalKey, cancellation);
            await console.Output.WriteLineAsync(retried.IsReplay
                ? $"The advice of RRN {entry.RetrievalReference} was no longer an exception; nothing changed."
                : $"The advice of RRN {entry.RetrievalReference} is queued again: the host sends it at its next round.");
            return 0;
        }));
        return command;
    }

    private static Command Disputes(Option<string?> data, AdminConsole console)
    {
        var limit = new Option<int>("--limit") { Description = "Show at most this many, newest first (default 100).", DefaultValueFactory = _ => 100 };
        var command = new Command("disputes", "List the reconciliation exceptions of stand-in: approvals whose advice the issuer booked but would have declined.") { limit };
        command.SetAction((result, cancellation) => AdminCommandLine.WithLedgerAsync(result, data, console, async ledger =>
        {
            var rows = await Acquirer(ledger).ListDisputedAdvicesAsync(result.GetValue(limit), cancellation);
            if (rows.Count == 0)
            {
                await console.Output.WriteLineAsync("No reconciliation exceptions: every stand-in advice was booked as approved.");
                return 0;
            }

            await console.Output.WriteLineAsync("when (UTC)           route            RRN           card                  amount  issuer would have said");
            foreach (var row in rows)
            {
                await console.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{DateTimeOffset.FromUnixTimeMilliseconds(row.AtUnixMilliseconds):yyyy-MM-dd HH:mm:ss}  {row.Upstream?.Route,-16} {row.RetrievalReference,-13} {row.MaskedPan,-19} {MinorUnits.Format(row.Amount),10}  {row.ResponseCode}"));
            }

            return 0;
        }));
        return command;
    }

    private static Argument<string> RrnArgument() => new("rrn") { Description = "The RRN (DE 37, 12 characters) of the forwarded original." };

    private static IAcquirerLedger Acquirer(ILedgerAdmin ledger) =>
        ledger as IAcquirerLedger ?? throw new AdminException("This ledger does not acquire for other issuers.");

    private static async Task<OwedMessage> FindAsync(ILedgerAdmin ledger, string rrn, CancellationToken cancellation) =>
        await Acquirer(ledger).FindSafAsync(rrn, cancellation)
            ?? throw new AdminException($"Nothing is owed for RRN {rrn} (delivered already, or no such forwarded request).");

    /// <summary>Each configured route's SafExpiry (the host's sources); an entry of a route no longer configured gets the default.</summary>
    private static Dictionary<string, TimeSpan> Expiries() =>
        RoutesCommand.LoadRouting().Routes.Where(route => route.Name is not null).ToDictionary(route => route.Name!, route => route.SafExpiry, StringComparer.Ordinal);

    private static string StateOf(OwedMessage entry, Dictionary<string, TimeSpan> expiries, DateTimeOffset now)
    {
        var expired = entry.OwedAt < now - expiries.GetValueOrDefault(entry.Route, new RouteOptions().SafExpiry);
        return (entry.State, expired) switch
        {
            (SafState.Exception, _) => "exception",
            (_, true) => "expired",
            _ => "queued",
        };
    }

    private static string NextTry(OwedMessage entry) =>
        entry.Saf.NextAttemptUnixMilliseconds == 0
            ? "now"
            : DateTimeOffset.FromUnixTimeMilliseconds(entry.Saf.NextAttemptUnixMilliseconds).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
