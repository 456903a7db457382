using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using SocketAtm.Protocol.Security;
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

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var data = new Option<string?>("--data") { Description = "Data directory (default: Ledger:DataDirectory from configuration, ./data).", Recursive = true };
        var root = new RootCommand("SocketAtm administration. Stop the host first: the ledger is opened exclusively.");
        root.Options.Add(data);
        root.Subcommands.Add(AddTerminal(data, output));
        root.Subcommands.Add(AddTerminals(data, output));
        root.Subcommands.Add(AddCard(data, output));
        root.Subcommands.Add(AddCards(data, output));
        root.Subcommands.Add(SetCardStatus(data, output));
        root.Subcommands.Add(Balance(data, output));
        root.Subcommands.Add(Journal(data, output));
        root.Subcommands.Add(Verify(data, output));
        root.Subcommands.Add(RemoveDemoDataCommand.Create(data, output));
        root.Subcommands.Add(ImportCvkCommand.Create(data, output));
        root.Subcommands.Add(HaproxyCheckCommand.Create(output));
        var parsed = root.Parse(args);
        return parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    private static Command AddTerminal(Option<string?> data, TextWriter output)
    {
        var id = new Option<string>("--id") { Description = "Terminal id (DE 41), 8 characters.", Required = true };
        var mac = new Option<bool>("--mac") { Description = "The terminal must MAC its financial messages." };
        var tmk = new Option<string?>("--tmk") { Description = "Terminal master key, 32 hex digits (required unless --demo-keys)." };
        var demo = new Option<bool>("--demo-keys") { Description = "Use the published demo keys (a host off loopback then refuses to start). Never in production." };
        var command = new Command("add-terminal", "Register a terminal. Its PIN and MAC keys are generated; the terminal obtains them with a key exchange (0800/161).")
        {
            id, mac, tmk, demo,
        };
        command.SetAction((result, cancellation) => WithLedgerAsync(result, data, output, async ledger =>
        {
            var useDemo = result.GetValue(demo);
            byte[]? masterKey = null;
            if (!useDemo && !TryParseKey(result.GetValue(tmk), out masterKey))
            {
                throw new AdminException("--tmk must be 32 hex digits (or give --demo-keys for a test terminal).");
            }

            var registration = new TerminalRegistration
            {
                TerminalId = result.GetRequiredValue(id),
                RequiresMac = result.GetValue(mac),
                MasterKey = useDemo ? DemoData.TerminalMasterKey : masterKey,
                PinKey = useDemo ? DemoData.TerminalPinKey : NewWorkingKey(),
                MacKey = useDemo ? DemoData.TerminalMacKey : NewWorkingKey(),
            };
            await ledger.AddTerminalAsync(registration, cancellation);
            await output.WriteLineAsync($"Terminal {registration.TerminalId} registered{(registration.RequiresMac ? " (MAC required)" : string.Empty)}.");
            return 0;
        }));
        return command;
    }

    private static Command AddTerminals(Option<string?> data, TextWriter output)
    {
        var count = new Option<int>("--count") { Description = "How many terminals.", Required = true };
        var prefix = new Option<string>("--prefix") { Description = "Leading characters of every id (1–7); the rest is a zero-padded sequence number.", Required = true };
        var first = new Option<int>("--first") { Description = "First sequence number.", DefaultValueFactory = _ => 1 };
        var mac = new Option<bool>("--mac") { Description = "The terminals must MAC their financial messages." };
        var tmk = new Option<string?>("--tmk") { Description = "Terminal master key of every terminal, 32 hex digits (required unless --demo-keys)." };
        var demo = new Option<bool>("--demo-keys") { Description = "Use the published demo keys (a host off loopback then refuses to start). Never in production." };
        var command = new Command("add-terminals", "Register many terminals with ids prefix + sequence number (test fleets for load runs).")
        {
            count, prefix, first, mac, tmk, demo,
        };
        command.SetAction((result, cancellation) => WithLedgerAsync(result, data, output, async ledger =>
        {
            var ids = GeneratedTerminalIds.Create(result.GetRequiredValue(prefix), result.GetRequiredValue(count), result.GetValue(first));
            var useDemo = result.GetValue(demo);
            byte[]? masterKey = null;
            if (!useDemo && !TryParseKey(result.GetValue(tmk), out masterKey))
            {
                throw new AdminException("--tmk must be 32 hex digits (or give --demo-keys for test terminals).");
            }

            foreach (var id in ids)
            {
                await ledger.AddTerminalAsync(
                    new TerminalRegistration
                    {
                        TerminalId = id,
                        RequiresMac = result.GetValue(mac),
                        MasterKey = useDemo ? DemoData.TerminalMasterKey : masterKey,
                        PinKey = useDemo ? DemoData.TerminalPinKey : NewWorkingKey(),
                        MacKey = useDemo ? DemoData.TerminalMacKey : NewWorkingKey(),
                    },
                    cancellation);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{ids.Count} terminals registered, {ids[0]} to {ids[^1]}{(result.GetValue(mac) ? " (MAC required)" : string.Empty)}."));
            return 0;
        }));
        return command;
    }

    private static Command AddCard(Option<string?> data, TextWriter output)
    {
        var pan = new Option<string>("--pan") { Description = "Card number, 13–19 digits.", Required = true };
        var pin = new Option<string>("--pin") { Description = "PIN, 4–12 digits (only its PVV is stored).", Required = true };
        var expiry = new Option<string>("--expiry") { Description = "Expiry as YYMM.", Required = true };
        var balance = new Option<string>("--balance") { Description = "Opening balance, e.g. 1000.00.", DefaultValueFactory = _ => "0" };
        var currency = new Option<int>("--currency") { Description = "ISO 4217 numeric currency.", DefaultValueFactory = _ => 840 };
        var dailyAmount = new Option<string?>("--daily-amount") { Description = "Daily withdrawal amount limit, e.g. 500.00 (default from Ledger:DefaultDailyAmountLimit)." };
        var dailyCount = new Option<int?>("--daily-count") { Description = "Daily withdrawal count limit (default from Ledger:DefaultDailyCountLimit)." };
        var serviceCode = new Option<string>("--service-code") { Description = "Service code on the card's track 2, 3 digits (a track 2 must carry it).", DefaultValueFactory = _ => Ledger.Model.CardRecord.DefaultServiceCode };
        var command = new Command("add-card", "Add a card with a new checking account.") { pan, pin, expiry, balance, currency, dailyAmount, dailyCount, serviceCode };
        command.SetAction((result, cancellation) => WithLedgerAsync(result, data, output, async ledger =>
        {
            var card = new CardRegistration
            {
                Pan = result.GetRequiredValue(pan),
                Pin = result.GetRequiredValue(pin),
                Expiry = result.GetRequiredValue(expiry),
                OpeningBalance = ParseAmount(result.GetValue(balance)!, "--balance"),
                Currency = result.GetValue(currency),
                DailyAmountLimit = result.GetValue(dailyAmount) is { } limit ? ParseAmount(limit, "--daily-amount") : null,
                DailyCountLimit = result.GetValue(dailyCount),
                ServiceCode = result.GetValue(serviceCode)!,
            };
            await ledger.AddCardsAsync([card], cancellation);
            await output.WriteLineAsync($"{card} added with balance {MinorUnits.Format(card.OpeningBalance)}.");
            return 0;
        }));
        return command;
    }

    private static Command AddCards(Option<string?> data, TextWriter output)
    {
        var count = new Option<int>("--count") { Description = "How many cards.", Required = true };
        var prefix = new Option<string>("--prefix") { Description = "Leading PAN digits (1–9); the rest is a sequence number and a Luhn check digit.", Required = true };
        var first = new Option<long>("--first") { Description = "First sequence number, to add more cards under the same prefix later.", DefaultValueFactory = _ => 0 };
        var pin = new Option<string>("--pin") { Description = "PIN of every card.", Required = true };
        var expiry = new Option<string>("--expiry") { Description = "Expiry of every card, YYMM.", Required = true };
        var balance = new Option<string>("--balance") { Description = "Opening balance of every card, e.g. 1000.00.", DefaultValueFactory = _ => "0" };
        var dailyAmount = new Option<string?>("--daily-amount") { Description = "Daily withdrawal amount limit of every card." };
        var dailyCount = new Option<int?>("--daily-count") { Description = "Daily withdrawal count limit of every card." };
        var command = new Command("add-cards", "Add many generated 16-digit cards in one transaction (test fleets for load runs).")
        {
            count, prefix, first, pin, expiry, balance, dailyAmount, dailyCount,
        };
        command.SetAction((result, cancellation) => WithLedgerAsync(result, data, output, async ledger =>
        {
            var pans = GeneratedCardNumbers.Create(result.GetRequiredValue(prefix), result.GetRequiredValue(count), result.GetValue(first));
            var opening = ParseAmount(result.GetValue(balance)!, "--balance");
            long? amountLimit = result.GetValue(dailyAmount) is { } limit ? ParseAmount(limit, "--daily-amount") : null;
            var cards = pans.Select(pan => new CardRegistration
            {
                Pan = pan,
                Pin = result.GetRequiredValue(pin),
                Expiry = result.GetRequiredValue(expiry),
                OpeningBalance = opening,
                DailyAmountLimit = amountLimit,
                DailyCountLimit = result.GetValue(dailyCount),
            }).ToList();
            await ledger.AddCardsAsync(cards, cancellation);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{cards.Count} cards added, {Protocol.Masking.SensitiveData.MaskPan(pans[0])} to {Protocol.Masking.SensitiveData.MaskPan(pans[^1])}, each with {MinorUnits.Format(opening)}."));
            return 0;
        }));
        return command;
    }

    private static Command SetCardStatus(Option<string?> data, TextWriter output)
    {
        var pan = new Option<string>("--pan") { Description = "Card number.", Required = true };
        var status = new Option<CardStatus>("--status") { Description = "Active, Lost, Stolen, Restricted or PinBlocked. Active also clears the PIN tries.", Required = true };
        var command = new Command("set-card-status", "Block, report or reactivate a card.") { pan, status };
        command.SetAction((result, cancellation) => WithLedgerAsync(result, data, output, async ledger =>
        {
            await ledger.SetCardStatusAsync(result.GetRequiredValue(pan), result.GetRequiredValue(status), cancellation);
            await output.WriteLineAsync($"Card {Protocol.Masking.SensitiveData.MaskPan(result.GetRequiredValue(pan))} is now {result.GetRequiredValue(status)}.");
            return 0;
        }));
        return command;
    }

    private static Command Balance(Option<string?> data, TextWriter output)
    {
        var pan = new Option<string>("--pan") { Description = "Card number.", Required = true };
        var command = new Command("balance", "Show a card's balance, state and today's usage.") { pan };
        command.SetAction((result, cancellation) => WithLedgerAsync(result, data, output, async ledger =>
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

    private static Command Journal(Option<string?> data, TextWriter output)
    {
        var terminal = new Option<string?>("--terminal") { Description = "Terminal id." };
        var pan = new Option<string?>("--pan") { Description = "Card number." };
        var limit = new Option<int>("--limit") { Description = "Most recent rows to show.", DefaultValueFactory = _ => 50 };
        var command = new Command("journal", "List the journal of a terminal or a card, newest first (PANs masked).") { terminal, pan, limit };
        command.SetAction((result, cancellation) => WithLedgerAsync(result, data, output, async ledger =>
        {
            var rows = (result.GetValue(terminal), result.GetValue(pan)) switch
            {
                ({ } id, null) => await ledger.ListJournalForTerminalAsync(id, result.GetValue(limit), cancellation),
                (null, { } card) => await ledger.ListJournalForCardAsync(card, result.GetValue(limit), cancellation),
                _ => throw new AdminException("Give exactly one of --terminal or --pan."),
            };
            await output.WriteLineAsync("time (UTC)           MTI  kind            card                 amount        delta  rc auth   rrn          key");
            foreach (var row in rows)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{DateTimeOffset.FromUnixTimeMilliseconds(row.AtUnixMilliseconds):yyyy-MM-dd HH:mm:ss} {row.Mti:D4} {row.Kind,-15} {row.MaskedPan,-19} {MinorUnits.Format(row.Amount),10} {MinorUnits.Format(row.Delta),12} {row.ResponseCode} {row.AuthorizationId ?? "-",-6} {row.RetrievalReference ?? "-",-12} {row.Key}"));
            }

            return 0;
        }));
        return command;
    }

    private static Command Verify(Option<string?> data, TextWriter output)
    {
        var command = new Command("verify", "Check that every balance equals its opening balance plus its journal, that no request key was applied twice, and that decisions and stored answers match one to one.");
        command.SetAction((result, cancellation) => WithLedgerAsync(result, data, output, async ledger =>
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
    internal static async Task<int> WithLedgerAsync(ParseResult result, Option<string?> data, TextWriter output, Func<ILedgerAdmin, Task<int>> action)
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
            await output.FlushAsync();
            await Console.Error.WriteLineAsync("socketatm admin: " + exception.Message);
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

    private static long ParseAmount(string text, string option) =>
        MinorUnits.TryParse(text, out var amount) ? amount : throw new AdminException($"{option} '{text}' is not an amount like 1000.00.");

    private static bool TryParseKey(string? hex, out byte[]? key)
    {
        key = null;
        if (hex is not { Length: 32 })
        {
            return false;
        }

        try
        {
            key = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] NewWorkingKey()
    {
        var key = new byte[16];
        KeyWrapping.GenerateWorkingKey(key);
        return key;
    }
}
