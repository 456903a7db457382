using SocketAtm.Client;
using SocketAtm.Protocol.Masking;
using Spectre.Console;

namespace SocketAtm.TerminalClient.Emulator;

/// <summary>The ATM screens in a terminal window, drawn with Spectre.Console; keys only, no mouse.</summary>
internal sealed class SpectreAtmDisplay : IAtmDisplay
{
    private const string TypeCard = "Type a card number or track 2";
    private const string Leave = "Leave the ATM (sign off)";

    private readonly IAnsiConsole _console;

    public SpectreAtmDisplay(IAnsiConsole console) => _console = console;

    public async Task<CardData?> WelcomeAsync(WelcomeScreen screen, IReadOnlyList<DemoCard> cards, CancellationToken cancellationToken)
    {
        _console.Clear();
        var link = screen.LinkState switch
        {
            LinkState.Online when screen.SignedOn => "[green]online[/]",
            LinkState.Online => "[red]online, sign-on refused[/]",
            LinkState.Closed => "[red]closed[/]",
            var state => $"[yellow]{state.ToString().ToLowerInvariant()}[/]",
        };
        _console.Write(new Panel(new Markup($"[bold]Welcome[/]\n\nTerminal [bold]{Markup.Escape(screen.TerminalId)}[/]   Link {link}   Host {Markup.Escape(screen.Host)}\n\nPlease insert your card."))
            .Header("SocketAtm")
            .Border(BoxBorder.Double)
            .Expand());

        var choices = cards.Select(card => $"{SensitiveData.MaskPan(card.Card.Pan)}  ({card.Label})").Append(TypeCard).Append(Leave).ToList();
        var picked = await new SelectionPrompt<string>()
            .Title("Insert a card:")

            // Every card on one page: the other bank's cards follow the host's own and must not hide below the fold.
            .PageSize(choices.Count)
            .AddChoices(choices)
            .ShowAsync(_console, cancellationToken);
        if (picked == Leave)
        {
            return null;
        }

        if (picked != TypeCard)
        {
            return cards[choices.IndexOf(picked)].Card;
        }

        // A card number alone goes as DE 2, which a host off loopback refuses; a track 2 goes as DE 35, as a reader sends it.
        var typed = await new TextPrompt<string>("Card number, or its track 2 (PAN=YYMM…):")
            .Validate(entry => TryRead(entry) is not null
                ? ValidationResult.Success()
                : ValidationResult.Error("[red]A card number has 13 to 19 digits; a track 2 is the PAN, '=', YYMM, the service code and digits.[/]"))
            .ShowAsync(_console, cancellationToken);
        return TryRead(typed);

        static CardData? TryRead(string entry)
        {
            try
            {
                return CardData.LooksLikeTrack2(entry) ? CardData.FromTrack2(entry) : CardData.FromPan(entry);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
    }

    public async Task<string?> AskForPinAsync(CancellationToken cancellationToken)
    {
        var pin = await new TextPrompt<string>("Enter your PIN (empty to cancel):")
            .Secret('*')
            .AllowEmpty()
            .Validate(pin => pin.Length == 0 || (pin.Length is >= 4 and <= 12 && pin.All(char.IsAsciiDigit))
                ? ValidationResult.Success()
                : ValidationResult.Error("[red]A PIN has 4 to 12 digits.[/]"))
            .ShowAsync(_console, cancellationToken);
        return pin.Length == 0 ? null : pin;
    }

    public async Task<MenuChoice> AskForMenuChoiceAsync(IReadOnlyList<long> fastCashAmounts, CancellationToken cancellationToken)
    {
        var choices = new List<(string Text, MenuChoice Choice)> { ("Balance", MenuChoice.Balance) };
        choices.AddRange(fastCashAmounts.Select(amount => ($"Fast cash {MinorUnits.Format(amount)}", MenuChoice.FastCash(amount))));
        choices.Add(("Other amount", MenuChoice.OtherAmount));
        choices.Add(("Cancel", MenuChoice.Cancel));
        var picked = await new SelectionPrompt<string>()
            .Title("What would you like to do?")
            .AddChoices(choices.Select(c => c.Text))
            .ShowAsync(_console, cancellationToken);
        return choices.First(c => c.Text == picked).Choice;
    }

    public async Task<long?> AskForAmountAsync(CancellationToken cancellationToken)
    {
        var text = await new TextPrompt<string>("Amount (e.g. 80.00, empty to go back):")
            .AllowEmpty()
            .Validate(value => value.Length == 0 || (MinorUnits.TryParse(value, out var amount) && amount > 0)
                ? ValidationResult.Success()
                : ValidationResult.Error("[red]Enter an amount such as 80 or 80.00.[/]"))
            .ShowAsync(_console, cancellationToken);
        return text.Length > 0 && MinorUnits.TryParse(text, out var minor) ? minor : null;
    }

    public Task<T> WhileWaitingAsync<T>(string text, Func<Task<T>> work) =>
        _console.Status().StartAsync(Markup.Escape(text), _ => work());

    public async Task<long> DispenseAsync(long amount, CancellationToken cancellationToken)
    {
        const string all = "Take the cash";
        const string jam = "Simulate a jam (nothing comes out)";
        const string partial = "Simulate a partial dispense";
        _console.MarkupLine($"[green]Approved.[/] Dispensing [bold]{MinorUnits.Format(amount)}[/]…");
        var picked = await new SelectionPrompt<string>()
            .Title("The dispenser:")
            .AddChoices(all, jam, partial)
            .ShowAsync(_console, cancellationToken);
        if (picked == all)
        {
            return amount;
        }

        if (picked == jam)
        {
            return 0;
        }

        var dispensed = await new TextPrompt<string>($"Amount that came out (less than {MinorUnits.Format(amount)}):")
            .Validate(value => MinorUnits.TryParse(value, out var part) && part < amount
                ? ValidationResult.Success()
                : ValidationResult.Error($"[red]Enter an amount below {MinorUnits.Format(amount)}.[/]"))
            .ShowAsync(_console, cancellationToken);
        return MinorUnits.TryParse(dispensed, out var minor) ? minor : 0;
    }

    public Task ShowBalanceAsync(BalanceScreen screen, CancellationToken cancellationToken)
    {
        var table = new Table().HideHeaders().Border(TableBorder.None).AddColumn("").AddColumn("");
        table.AddRow("Card", screen.MaskedPan);
        table.AddRow("Available balance", $"[bold]{MinorUnits.Format(screen.Available)}[/]");
        table.AddRow("Ledger balance", MinorUnits.Format(screen.Ledger));
        _console.Write(new Panel(table).Header("Balance").Border(BoxBorder.Rounded));
        return Task.CompletedTask;
    }

    public Task ShowReceiptAsync(Receipt receipt, CancellationToken cancellationToken)
    {
        var table = new Table().HideHeaders().Border(TableBorder.None).AddColumn("").AddColumn("");
        foreach (var (label, value) in receipt.Lines())
        {
            table.AddRow(Markup.Escape(label), Markup.Escape(value));
        }

        if (receipt.Note is not null)
        {
            table.AddRow(string.Empty, $"[yellow]{Markup.Escape(receipt.Note)}[/]");
        }

        _console.Write(new Panel(table).Header("Receipt").Border(BoxBorder.Ascii));
        return Task.CompletedTask;
    }

    public Task ShowProblemAsync(string sentence, CancellationToken cancellationToken)
    {
        _console.Write(new Panel(new Markup($"[red]{Markup.Escape(sentence)}[/]")).Header("Sorry").Border(BoxBorder.Heavy));
        return Task.CompletedTask;
    }

    public async Task<bool> AskForAnotherTransactionAsync(CancellationToken cancellationToken)
    {
        const string another = "Another transaction";
        var picked = await new SelectionPrompt<string>()
            .Title("Anything else?")
            .AddChoices(another, "Finish and take the card")
            .ShowAsync(_console, cancellationToken);
        return picked == another;
    }

    public async Task ShowGoodbyeAsync(string sentence, CancellationToken cancellationToken)
    {
        _console.MarkupLine($"[bold]{Markup.Escape(sentence)}[/]");
        await new SelectionPrompt<string>().Title("Press Enter for the next customer.").AddChoices("Next customer").ShowAsync(_console, cancellationToken);
    }
}
