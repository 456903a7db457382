using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using SocketAtm.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Admin;

/// <summary>
/// <c>SocketAtm.Server admin …</c>: terminals, cards, balances, journal and the invariant check, run against the data
/// directory while the host is stopped (the ledger's files are opened exclusively, so a running host is detected).
/// </summary>
internal static class AdminCommandLine
{
    public const string Verb = "admin";

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) =>
        RunAsync(args, new AdminConsole(output, error, SecretInput.FromConsole));

    /// <summary>Runs one admin command; secrets (key components, PINs) that no file gives are read from <paramref name="console"/>'s input.</summary>
    public static Task<int> RunAsync(string[] args, AdminConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var output = console.Output;
        var data = new Option<string?>("--data") { Description = "Data directory (default: Ledger:DataDirectory from configuration, ./data).", Recursive = true };
        var root = new RootCommand("SocketAtm administration. Stop the host first: the ledger is opened exclusively.");
        root.Options.Add(data);
        foreach (var command in TerminalCommands.Create(data, console).Concat(CardCommands.Create(data, console)).Concat(PinVerificationKeyCommands.Create(data, console)))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(SetCardStatus(data, console));
        root.Subcommands.Add(Balance(data, console));
        root.Subcommands.Add(Journal(data, console));
        root.Subcommands.Add(Verify(data, console));
        root.Subcommands.Add(RemoveDemoDataCommand.Create(data, console));
        root.Subcommands.Add(ImportCvkCommand.Create(data, console));
        root.Subcommands.Add(HaproxyCheckCommand.Create(output));
        root.Subcommands.Add(RoutesCommand.Create(data, console));
        root.Subcommands.Add(SafCommands.Create(data, console));
        var parsed = root.Parse(args);
        return parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = console.Error });
    }

    private static Command SetCardStatus(Option<string?> data, AdminConsole console)
    {
        var output = console.Output;
        var pan = new Option<string>("--pan") { Description = "Card number.", Required = true };
        var status = new Option<CardStatus>("--status") { Description = "Active, Lost, Stolen, Restricted or PinBlocked. Active also clears the PIN tries.", Required = true };
        var command = new Command("set-card-status", "Block, report or reactivate a card.") { pan, status };
        command.SetAction((result, cancellation) => WithLedgerAsync(result, data, console, async ledger =>
        {
            await ledger.SetCardStatusAsync(result.GetRequiredValue(pan), result.GetRequiredValue(status), cancellation);
            await output.WriteLineAsync($"Card {Protocol.Masking.SensitiveData.MaskPan(result.GetRequiredValue(pan))} is now {result.GetRequiredValue(status)}.");
            return 0;
        }));
        return command;
    }

    private static Command Balance(Option<string?> data, AdminConsole console)
    {
        var output = console.Output;
        var pan = new Option<string>("--pan") { Description = "Card number.", Required = true };
        var command = new Command("balance", "Show a card's balance, state and today's usage.") { pan };
        command.SetAction((result, cancellation) => WithLedgerAsync(result, data, console, async ledger =>
        {
            var balance = await ledger.GetCardBalanceAsync(result.GetRequiredValue(pan), cancellation)
                ?? throw new AdminException("No such card.");
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
                Card       {balance.MaskedPan} ({balance.Status}, expires {balance.Expiry}, PIN tries {balance.PinTries})
                Account    {balance.AccountId} type {(int)balance.AccountType:D2}, currency {balance.Currency:D3}
                Ledger     {MinorUnits.Format(balance.LedgerBalance)}
                Available  {MinorUnits.Format(balance.AvailableBalance)}
                Today      {MinorUnits.Format(balance.UsedToday)} of {MinorUnits.Format(balance.DailyAmountLimit)}, {balance.WithdrawalsToday} of {balance.DailyCountLimit} withdrawals
                """));
            return 0;
        }));
        return command;
    }

    private static Command Journal(Option<string?> data, AdminConsole console)
    {
        var output = console.Output;
        var terminal = new Option<string?>("--terminal") { Description = "Terminal id." };
        var pan = new Option<string?>("--pan") { Description = "Card number." };
        var limit = new Option<int>("--limit") { Description = "Most recent rows to show.", DefaultValueFactory = _ => 50 };
        var command = new Command("journal", "List the journal of a terminal or a card, newest first (PANs masked).") { terminal, pan, limit };
        command.SetAction((result, cancellation) => WithLedgerAsync(result, data, console, async ledger =>
        {
            var rows = (result.GetValue(terminal), result.GetValue(pan)) switch
            {
                ({ } id, null) => await ledger.ListJournalForTerminalAsync(id, result.GetValue(limit), cancellation),
                (null, { } card) => await ledger.ListJournalForCardAsync(card, result.GetValue(limit), cancellation),
                _ => throw new AdminException("Give exactly one of --terminal or --pan."),
            };
            // The disposition says whether a row was decided, refused as a security event, or sums up throttled ones; the
            // detail (a key event's KCVs, an 0800's DE 70, a throttled window's counts) is never a key or a PAN.
            await output.WriteLineAsync("time (UTC)           MTI  kind              disposition  card                 amount        delta  rc auth   rrn          key  detail");
            foreach (var row in rows)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{DateTimeOffset.FromUnixTimeMilliseconds(row.AtUnixMilliseconds):yyyy-MM-dd HH:mm:ss} {row.Mti:D4} {row.Kind,-17} {row.Disposition,-12} {row.MaskedPan,-19} {MinorUnits.Format(row.Amount),10} {MinorUnits.Format(row.Delta),12} {row.ResponseCode} {row.AuthorizationId ?? "-",-6} {row.RetrievalReference ?? "-",-12} {row.Key}  {row.Detail ?? "-"}"));
            }

            return 0;
        }));
        return command;
    }

    private static Command Verify(Option<string?> data, AdminConsole console)
    {
        var output = console.Output;
        var command = new Command("verify", "Check that every balance equals its opening balance plus its journal, that no request key was applied twice, and that decisions and stored answers match one to one.");
        command.SetAction((result, cancellation) => WithLedgerAsync(result, data, console, async ledger =>
        {
            var (options, storage) = LoadOptions(result.GetValue(data));
            await output.WriteLineAsync("Ledger: " + LedgerFactory.Describe(options, storage));
            var report = await ledger.VerifyInvariantsAsync(cancellation);
            await output.WriteLineAsync($"{report.AccountsChecked} accounts, {report.JournalRows} journal rows checked.");
            foreach (var violation in report.Violations)
            {
                await output.WriteLineAsync("VIOLATION: " + violation);
            }

            await output.WriteLineAsync(report.Holds ? "Invariants hold." : "Invariants DO NOT hold.");
            return report.Holds ? 0 : 1;
        }));
        return command;
    }

    /// <summary>Opens the ledger in the configured (or given) data directory, runs one admin action, closes it.</summary>
    internal static async Task<int> WithLedgerAsync(ParseResult result, Option<string?> data, AdminConsole console, Func<ILedgerAdmin, Task<int>> action)
    {
        var (options, storage) = LoadOptions(result.GetValue(data));
        try
        {
            await using var ledger = await LedgerFactory.OpenAsync(
                options, storage, TimeProvider.System, onFatal: null, meterFactory: null, NullLoggerFactory.Instance, streams: null, CancellationToken.None);
            return await action((ILedgerAdmin)ledger);
        }
        catch (Exception exception) when (exception is AdminException or ArgumentException or LedgerStartupException)
        {
            await console.Output.FlushAsync();
            await console.Error.WriteLineAsync("socketatm admin: " + exception.Message);
            return 2;
        }
    }

    /// <summary>
    /// The same configuration sources as the host: appsettings.json, SOCKETATM_ variables (e.g.
    /// SOCKETATM_Storage__Provider=PostgreSql and SOCKETATM_Storage__ConnectionString for a shared database), then --data.
    /// </summary>
    internal static (LedgerOptions Ledger, StorageOptions Storage) LoadOptions(string? dataDirectory)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables(ServerHost.EnvironmentPrefix)
            .Build();
        var options = new LedgerOptions();
        configuration.GetSection(LedgerOptions.SectionName).Bind(options);
        if (dataDirectory is not null)
        {
            options.DataDirectory = dataDirectory;
        }

        // The same rule as the host's: a new ledger configured for a listener off loopback gets no demo data.
        var listener = new Transport.ListenerOptions();
        configuration.GetSection(Transport.ListenerOptions.SectionName).Bind(listener);
        StartupSafety.LimitDemoSeeding(options, listener);

        var storage = new StorageOptions();
        configuration.GetSection(StorageOptions.SectionName).Bind(storage);
        return (options, storage);
    }

    internal static long ParseAmount(string text, string option) =>
        MinorUnits.TryParse(text, out var amount) ? amount : throw new AdminException($"{option} '{text}' is not an amount like 1000.00.");
}
