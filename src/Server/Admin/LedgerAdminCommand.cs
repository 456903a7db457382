using System.CommandLine;
using System.Globalization;
using SocketAtm.Protocol.Masking;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Admin;

/// <summary>
/// The <c>admin</c> command line over <see cref="ILedgerAdmin"/>: terminals, cards, balances, the journal and the
/// invariant check. It opens the ledger itself, so it runs while the host is stopped (the host holds the database
/// exclusively). Output never shows a full PAN, a PIN or a key.
/// </summary>
internal static class LedgerAdminCommand
{
    /// <param name="openLedger">Opens the ledger to administer; the command disposes it when done.</param>
    public static Command Create(Func<CancellationToken, Task<LiteDbLedger>> openLedger)
    {
        ArgumentNullException.ThrowIfNull(openLedger);
        var admin = new Command("admin", "Administer the ledger's database (while the host is stopped).");
        admin.Subcommands.Add(TerminalCommand(openLedger));
        admin.Subcommands.Add(CardCommand(openLedger));
        admin.Subcommands.Add(JournalCommand(openLedger));
        var verify = new Command("verify", "Check that every balance matches its journal and that no key was applied twice.");
        verify.SetAction((parse, cancellation) => RunAsync(openLedger, parse, async (ledger, output) =>
        {
            var report = await ledger.VerifyInvariantsAsync(cancellation);
            await output.WriteLineAsync(Invariant($"{report.AccountsChecked} accounts, {report.JournalRows} journal rows"));
            foreach (var violation in report.Violations)
            {
                await output.WriteLineAsync("VIOLATION: " + violation);
            }

            await output.WriteLineAsync(report.Holds ? "invariants hold" : "invariants FAIL");
            return report.Holds ? 0 : 2;
        }, cancellation));
        admin.Subcommands.Add(verify);
        return admin;
    }

    private static Command TerminalCommand(Func<CancellationToken, Task<LiteDbLedger>> openLedger)
    {
        var id = new Argument<string>("terminal-id") { Description = "Terminal id (DE 41), 8 characters." };
        var requiresMac = new Option<bool>("--requires-mac") { Description = "Its messages must carry a MAC." };
        var disabled = new Option<bool>("--disabled") { Description = "Register it disabled (answered 58)." };
        var masterKey = new Option<string?>("--tmk") { Description = "Terminal master key, 32 hex digits (default: demo key)." };
        var pinKey = new Option<string?>("--tpk") { Description = "PIN key, 32 hex digits (default: demo key)." };
        var macKey = new Option<string?>("--tak") { Description = "MAC key, 32 hex digits (default: demo key)." };
        var add = new Command("add", "Register a terminal, or replace one with the same id.") { id, requiresMac, disabled, masterKey, pinKey, macKey };
        add.SetAction((parse, cancellation) => RunAsync(openLedger, parse, async (ledger, output) =>
        {
            var terminal = new TerminalRegistration
            {
                TerminalId = parse.GetRequiredValue(id),
                RequiresMac = parse.GetValue(requiresMac),
                Enabled = !parse.GetValue(disabled),
                MasterKey = Key(parse.GetValue(masterKey)),
                PinKey = Key(parse.GetValue(pinKey)),
                MacKey = Key(parse.GetValue(macKey)),
            };
            await ledger.AddTerminalAsync(terminal, cancellation);
            await output.WriteLineAsync($"terminal {terminal.TerminalId} registered");
            return 0;
        }, cancellation));
        return new Command("terminal", "Terminals.") { add };
    }

    private static Command CardCommand(Func<CancellationToken, Task<LiteDbLedger>> openLedger)
    {
        var pan = new Option<string>("--pan") { Description = "Primary account number.", Required = true };
        var pin = new Option<string>("--pin") { Description = "PIN (only its PVV is stored).", Required = true };
        var expiry = new Option<string>("--expiry") { Description = "Expiry, YYMM.", Required = true };
        var balance = new Option<long>("--balance") { Description = "Opening balance in minor units." };
        var currency = new Option<int>("--currency") { Description = "ISO 4217 numeric currency.", DefaultValueFactory = _ => 840 };
        var dailyAmount = new Option<long?>("--daily-amount") { Description = "Daily amount limit in minor units (default: the ledger's)." };
        var dailyCount = new Option<int?>("--daily-count") { Description = "Daily withdrawal count limit (default: the ledger's)." };

        var add = new Command("add", "Add a card with a checking account of its own.") { pan, pin, expiry, balance, currency, dailyAmount, dailyCount };
        add.SetAction((parse, cancellation) => RunAsync(openLedger, parse, async (ledger, output) =>
        {
            var card = new CardRegistration
            {
                Pan = parse.GetRequiredValue(pan),
                Pin = parse.GetRequiredValue(pin),
                Expiry = parse.GetRequiredValue(expiry),
                OpeningBalance = parse.GetValue(balance),
                Currency = parse.GetValue(currency),
                DailyAmountLimit = parse.GetValue(dailyAmount),
                DailyCountLimit = parse.GetValue(dailyCount),
            };
            await ledger.AddCardsAsync([card], cancellation);
            await output.WriteLineAsync($"card {SensitiveData.MaskPan(card.Pan)} added");
            return 0;
        }, cancellation));

        var count = new Option<int>("--count") { Description = "How many cards.", Required = true };
        var prefix = new Option<string>("--prefix") { Description = "Leading PAN digits; the rest is a sequence number and a Luhn check digit.", Required = true };
        var bulkPin = new Option<string>("--pin") { Description = "PIN of every card.", Required = true };
        var bulkExpiry = new Option<string>("--expiry") { Description = "Expiry of every card, YYMM.", Required = true };
        var bulk = new Command("bulk-add", "Add many generated 16-digit cards in one transaction (for load tests).")
        {
            count, prefix, bulkPin, bulkExpiry, balance, currency, dailyAmount, dailyCount,
        };
        bulk.SetAction((parse, cancellation) => RunAsync(openLedger, parse, async (ledger, output) =>
        {
            var pans = GeneratedPans(parse.GetRequiredValue(prefix), parse.GetRequiredValue(count));
            var cards = pans.Select(generated => new CardRegistration
            {
                Pan = generated,
                Pin = parse.GetRequiredValue(bulkPin),
                Expiry = parse.GetRequiredValue(bulkExpiry),
                OpeningBalance = parse.GetValue(balance),
                Currency = parse.GetValue(currency),
                DailyAmountLimit = parse.GetValue(dailyAmount),
                DailyCountLimit = parse.GetValue(dailyCount),
            }).ToList();
            await ledger.AddCardsAsync(cards, cancellation);
            await output.WriteLineAsync(Invariant($"{cards.Count} cards added, {SensitiveData.MaskPan(pans[0])} to {SensitiveData.MaskPan(pans[^1])}"));
            return 0;
        }, cancellation));

        var balancePan = new Option<string>("--pan") { Description = "Primary account number.", Required = true };
        var show = new Command("balance", "Show a card's balance, state and today's usage.") { balancePan };
        show.SetAction((parse, cancellation) => RunAsync(openLedger, parse, async (ledger, output) =>
        {
            var card = await ledger.GetCardBalanceAsync(parse.GetRequiredValue(balancePan), cancellation);
            if (card is null)
            {
                await output.WriteLineAsync("card not on file");
                return 1;
            }

            await output.WriteLineAsync(Invariant(
                $"{card.MaskedPan} {card.Status} expiry {card.Expiry} PIN tries {card.PinTries}; account {card.AccountId} ({card.AccountType}, {card.Currency}): ") + Invariant(
                $"ledger {Money(card.LedgerBalance)} available {Money(card.AvailableBalance)}; today {Money(card.UsedToday)} of {Money(card.DailyAmountLimit)}, ") + Invariant(
                $"{card.WithdrawalsToday} of {card.DailyCountLimit} withdrawals"));
            return 0;
        }, cancellation));

        var statusPan = new Option<string>("--pan") { Description = "Primary account number.", Required = true };
        var status = new Option<CardStatus>("--status") { Description = "Active (also clears PIN tries), Lost, Stolen, Restricted.", Required = true };
        var setStatus = new Command("status", "Set a card's status.") { statusPan, status };
        setStatus.SetAction((parse, cancellation) => RunAsync(openLedger, parse, async (ledger, output) =>
        {
            var panValue = parse.GetRequiredValue(statusPan);
            await ledger.SetCardStatusAsync(panValue, parse.GetRequiredValue(status), cancellation);
            await output.WriteLineAsync($"card {SensitiveData.MaskPan(panValue)} is now {parse.GetRequiredValue(status)}");
            return 0;
        }, cancellation));

        return new Command("card", "Cards.") { add, bulk, show, setStatus };
    }

    private static Command JournalCommand(Func<CancellationToken, Task<LiteDbLedger>> openLedger)
    {
        var terminal = new Option<string?>("--terminal") { Description = "List this terminal's rows." };
        var pan = new Option<string?>("--pan") { Description = "List this card's rows." };
        var limit = new Option<int>("--limit") { Description = "How many rows, newest first.", DefaultValueFactory = _ => 20 };
        var journal = new Command("journal", "List the latest journal rows of a terminal or a card (PANs masked).") { terminal, pan, limit };
        journal.Validators.Add(result =>
        {
            if ((result.GetValue(terminal) is null) == (result.GetValue(pan) is null))
            {
                result.AddError("Give exactly one of --terminal and --pan.");
            }
        });
        journal.SetAction((parse, cancellation) => RunAsync(openLedger, parse, async (ledger, output) =>
        {
            var rows = parse.GetValue(terminal) is { } terminalId
                ? await ledger.ListJournalForTerminalAsync(terminalId, parse.GetValue(limit), cancellation)
                : await ledger.ListJournalForCardAsync(parse.GetValue(pan)!, parse.GetValue(limit), cancellation);
            foreach (var row in rows)
            {
                await output.WriteLineAsync(Describe(row));
            }

            await output.WriteLineAsync(Invariant($"{rows.Count} rows"));
            return 0;
        }, cancellation));
        return journal;
    }

    private static async Task<int> RunAsync(
        Func<CancellationToken, Task<LiteDbLedger>> openLedger,
        ParseResult parse,
        Func<LiteDbLedger, TextWriter, Task<int>> action,
        CancellationToken cancellation)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        try
        {
            await using var ledger = await openLedger(cancellation);
            return await action(ledger, output);
        }
        catch (ArgumentException invalid)
        {
            await error.WriteLineAsync(invalid.Message);
            return 1;
        }
        catch (LedgerStartupException refused)
        {
            await error.WriteLineAsync(refused.Message);
            return 3;
        }
    }

    /// <summary>PANs of 16 digits: the prefix, a zero-padded sequence number and the Luhn check digit.</summary>
    internal static IReadOnlyList<string> GeneratedPans(string prefix, int count)
    {
        if (prefix is not { Length: >= 1 and <= 9 } || !prefix.All(char.IsAsciiDigit) || count < 1
            || count > Math.Pow(10, 15 - prefix.Length))
        {
            throw new ArgumentException("The prefix is 1 to 9 digits and leaves room for the count.", nameof(prefix));
        }

        return Enumerable.Range(0, count).Select(index =>
        {
            var body = prefix + index.ToString(CultureInfo.InvariantCulture).PadLeft(15 - prefix.Length, '0');
            return body + LuhnCheckDigit(body);
        }).ToList();
    }

    private static char LuhnCheckDigit(string body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var digit = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                digit *= 2;
                digit = digit > 9 ? digit - 9 : digit;
            }

            sum += digit;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    private static byte[]? Key(string? hex)
    {
        try
        {
            return hex is null ? null : Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new ArgumentException("A key is 32 hex digits.", nameof(hex));
        }
    }

    private static string Describe(JournalRecord row) => Invariant(
        $"{row.Id,8} {DateTimeOffset.FromUnixTimeMilliseconds(row.AtUnixMilliseconds):yyyy-MM-dd HH:mm:ss.fff} {row.TerminalId} ") + Invariant(
        $"{row.Mti:D4} {row.Kind,-14} {row.MaskedPan,-19} {Money(row.Amount),14} {Money(row.Delta),14} {row.ResponseCode} ") + Invariant(
        $"{row.AuthorizationId ?? "------"} {row.RetrievalReference ?? "------------"} {row.Disposition}");

    private static string Money(long minorUnits) => (minorUnits / 100m).ToString("N2", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
