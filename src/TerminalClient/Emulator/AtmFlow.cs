using SocketAtm.Client;

namespace SocketAtm.TerminalClient.Emulator;

/// <summary>
/// The ATM's behaviour, apart from how it looks: welcome → card → PIN → menu → balance or withdrawal → dispense →
/// receipt, with a plain sentence for every decline, and a reversal whenever less cash came out than was approved.
/// </summary>
internal sealed class AtmFlow
{
    /// <summary>The fast cash amounts of the menu, in minor units: 20, 40, 60 and 100.</summary>
    public static readonly IReadOnlyList<long> FastCashAmounts = [2000, 4000, 6000, 10000];

    /// <summary>How long the flow waits for the host to acknowledge a reversal before printing the receipt anyway.</summary>
    public static readonly TimeSpan ReversalWait = TimeSpan.FromSeconds(10);

    private readonly AtmTerminalClient _terminal;
    private readonly IAtmDisplay _display;
    private readonly TimeProvider _time;

    public AtmFlow(AtmTerminalClient terminal, IAtmDisplay display, TimeProvider time)
    {
        _terminal = terminal;
        _display = display;
        _time = time;
    }

    /// <summary>Serves customers until one chooses to leave or <paramref name="cancellationToken"/> fires (Ctrl-C).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var screen = new WelcomeScreen(_terminal.TerminalId, _terminal.Connection.State, _terminal.IsSignedOn, _terminal.Connection.Endpoint);
            var card = await _display.WelcomeAsync(screen, DemoCard.All, cancellationToken);
            if (card is null)
            {
                return;
            }

            await ServeCustomerAsync(card, cancellationToken);
            await _display.ShowGoodbyeAsync("Please take your card. Thank you.", cancellationToken);
        }
    }

    /// <summary>One customer's visit, from the PIN to the card coming back.</summary>
    public async Task ServeCustomerAsync(CardData card, CancellationToken cancellationToken)
    {
        var pin = await _display.AskForPinAsync(cancellationToken);
        if (pin is null)
        {
            return;
        }

        while (true)
        {
            var choice = await _display.AskForMenuChoiceAsync(FastCashAmounts, cancellationToken);
            bool served;
            switch (choice.Action)
            {
                case MenuAction.Balance:
                    served = await BalanceAsync(card, pin, cancellationToken);
                    break;
                case MenuAction.FastCash:
                    served = await WithdrawAsync(card, pin, choice.Amount, cancellationToken);
                    break;
                case MenuAction.OtherAmount:
                    var amount = await _display.AskForAmountAsync(cancellationToken);
                    if (amount is null)
                    {
                        continue;
                    }

                    served = await WithdrawAsync(card, pin, amount.Value, cancellationToken);
                    break;
                default:
                    return;
            }

            // After a decline or a failure the card comes back: the customer starts again from the card.
            if (!served || !await _display.AskForAnotherTransactionAsync(cancellationToken))
            {
                return;
            }
        }
    }

    private async Task<bool> BalanceAsync(CardData card, string pin, CancellationToken cancellationToken)
    {
        var result = await _display.WhileWaitingAsync("Contacting your bank…", () => _terminal.BalanceAsync(card, pin, cancellationToken: cancellationToken));
        if (result is TransactionApproved { Balance: { } balance } approved)
        {
            await _display.ShowBalanceAsync(new BalanceScreen(approved.MaskedPan, balance.Available, balance.Ledger), cancellationToken);
            return true;
        }

        await _display.ShowProblemAsync(result is TransactionApproved ? "Your balance is not available." : CustomerMessages.For(result), cancellationToken);
        return false;
    }

    private async Task<bool> WithdrawAsync(CardData card, string pin, long amount, CancellationToken cancellationToken)
    {
        // The withdrawal itself is not cancelled by Ctrl-C once sent: an unanswered one is reversed by the client.
        var result = await _display.WhileWaitingAsync("Authorizing your withdrawal…", () => _terminal.WithdrawAsync(card, pin, amount, cancellationToken: cancellationToken));
        if (result is not TransactionApproved approved)
        {
            await _display.ShowProblemAsync(CustomerMessages.For(result), cancellationToken);
            return false;
        }

        var dispensed = await _display.DispenseAsync(amount, cancellationToken);
        var note = (string?)null;
        var remaining = approved.Balance?.Available;
        if (dispensed < amount)
        {
            var reversal = await _display.WhileWaitingAsync(
                "Returning what was not dispensed to your account…",
                () => WaitForReversalAsync(approved, dispensed));
            if (reversal?.IsReversed == true)
            {
                remaining += amount - dispensed;
                note = $"{MinorUnits.Format(amount - dispensed)} was not dispensed and has been returned to your account.";
            }
            else
            {
                note = $"{MinorUnits.Format(amount - dispensed)} was not dispensed; it will be returned to your account.";
            }
        }

        var receipt = new Receipt(
            _time.GetLocalNow(),
            _terminal.TerminalId,
            approved.MaskedPan,
            approved.AuthorizationId,
            approved.RetrievalReferenceNumber,
            approved.Trace.Stan,
            amount,
            dispensed,
            remaining,
            note);
        await _display.ShowReceiptAsync(receipt, cancellationToken);
        return true;
    }

    private async Task<ReversalResult?> WaitForReversalAsync(TransactionApproved approved, long dispensed)
    {
        // The reversal goes on after this wait if it must (repeated until the host acknowledges it).
        var reversal = _terminal.ReportDispenseAsync(approved, dispensed);
        try
        {
            return await reversal.WaitAsync(ReversalWait, _time);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}
