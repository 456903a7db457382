using System.CommandLine;
using System.Globalization;
using SocketAtm.Protocol.Masking;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Admin;

/// <summary>
/// <c>add-card</c> and <c>add-cards</c>. A card's clear PIN is read from a file or a prompt (<see cref="PinEntry"/>),
/// never from the command line; only its PVV is stored, under the PVK new cards are issued under.
/// </summary>
internal static class CardCommands
{
    public static IEnumerable<Command> Create(Option<string?> data, AdminConsole console) => [AddCard(data, console), AddCards(data, console)];

    private static Command AddCard(Option<string?> data, AdminConsole console)
    {
        var pan = new Option<string>("--pan") { Description = "Card number, 13–19 digits.", Required = true };
        var pinFile = PinFileOption("A file holding the card's PIN, 4–12 digits (only its PVV is stored). Without it the PIN is asked for at a prompt that shows nothing.");
        var expiry = new Option<string>("--expiry") { Description = "Expiry as YYMM.", Required = true };
        var balance = new Option<string>("--balance") { Description = "Opening balance, e.g. 1000.00.", DefaultValueFactory = _ => "0" };
        var currency = new Option<int>("--currency") { Description = "ISO 4217 numeric currency.", DefaultValueFactory = _ => 840 };
        var dailyAmount = new Option<string?>("--daily-amount") { Description = "Daily withdrawal amount limit, e.g. 500.00 (default from Ledger:DefaultDailyAmountLimit)." };
        var dailyCount = new Option<int?>("--daily-count") { Description = "Daily withdrawal count limit (default from Ledger:DefaultDailyCountLimit)." };
        var serviceCode = new Option<string>("--service-code") { Description = "Service code on the card's track 2, 3 digits (a track 2 must carry it).", DefaultValueFactory = _ => Ledger.Model.CardRecord.DefaultServiceCode };
        var command = new Command("add-card", "Add a card with a new checking account.") { pan, pinFile, expiry, balance, currency, dailyAmount, dailyCount, serviceCode };
        command.SetAction((result, cancellation) => AdminCommandLine.WithLedgerAsync(result, data, console, async ledger =>
        {
            var number = result.GetRequiredValue(pan);
            var card = new CardRegistration
            {
                Pan = number,
                Pin = PinEntry.Read(result.GetValue(pinFile), "card " + SensitiveData.MaskPan(number), console),
                Expiry = result.GetRequiredValue(expiry),
                OpeningBalance = AdminCommandLine.ParseAmount(result.GetValue(balance)!, "--balance"),
                Currency = result.GetValue(currency),
                DailyAmountLimit = result.GetValue(dailyAmount) is { } limit ? AdminCommandLine.ParseAmount(limit, "--daily-amount") : null,
                DailyCountLimit = result.GetValue(dailyCount),
                ServiceCode = result.GetValue(serviceCode)!,
            };
            await ledger.AddCardsAsync([card], cancellation);
            await console.Output.WriteLineAsync($"{card} added with balance {MinorUnits.Format(card.OpeningBalance)}.");
            return 0;
        }));
        return command;
    }

    private static Command AddCards(Option<string?> data, AdminConsole console)
    {
        var count = new Option<int>("--count") { Description = "How many cards.", Required = true };
        var prefix = new Option<string>("--prefix") { Description = "Leading PAN digits (1–9); the rest is a sequence number and a Luhn check digit.", Required = true };
        var first = new Option<long>("--first") { Description = "First sequence number, to add more cards under the same prefix later.", DefaultValueFactory = _ => 0 };
        var pinFile = PinFileOption("A file holding the one PIN every card gets (a test fleet's). Without it the PIN is asked for at a prompt that shows nothing.");
        var expiry = new Option<string>("--expiry") { Description = "Expiry of every card, YYMM.", Required = true };
        var balance = new Option<string>("--balance") { Description = "Opening balance of every card, e.g. 1000.00.", DefaultValueFactory = _ => "0" };
        var dailyAmount = new Option<string?>("--daily-amount") { Description = "Daily withdrawal amount limit of every card." };
        var dailyCount = new Option<int?>("--daily-count") { Description = "Daily withdrawal count limit of every card." };
        var command = new Command("add-cards", "Add many generated 16-digit cards, all with one PIN, in one transaction (test fleets for load runs).")
        {
            count, prefix, first, pinFile, expiry, balance, dailyAmount, dailyCount,
        };
        command.SetAction((result, cancellation) => AdminCommandLine.WithLedgerAsync(result, data, console, async ledger =>
        {
            var pans = GeneratedCardNumbers.Create(result.GetRequiredValue(prefix), result.GetRequiredValue(count), result.GetValue(first));
            var opening = AdminCommandLine.ParseAmount(result.GetValue(balance)!, "--balance");
            long? amountLimit = result.GetValue(dailyAmount) is { } limit ? AdminCommandLine.ParseAmount(limit, "--daily-amount") : null;
            var pin = PinEntry.Read(result.GetValue(pinFile), "every card", console);
            var cards = pans.Select(pan => new CardRegistration
            {
                Pan = pan,
                Pin = pin,
                Expiry = result.GetRequiredValue(expiry),
                OpeningBalance = opening,
                DailyAmountLimit = amountLimit,
                DailyCountLimit = result.GetValue(dailyCount),
            }).ToList();
            await ledger.AddCardsAsync(cards, cancellation);
            await console.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{cards.Count} cards added, {SensitiveData.MaskPan(pans[0])} to {SensitiveData.MaskPan(pans[^1])}, each with {MinorUnits.Format(opening)} and the same PIN."));
            return 0;
        }));
        return command;
    }

    private static Option<string?> PinFileOption(string description) => new(PinEntry.FileOption) { Description = description };
}
