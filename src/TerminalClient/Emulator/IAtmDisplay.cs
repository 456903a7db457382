using SocketAtm.Client;

namespace SocketAtm.TerminalClient.Emulator;

/// <summary>
/// Everything the ATM shows and asks, with no logic of its own: <see cref="AtmFlow"/> decides what comes next, an
/// implementation only renders and reads keys. Every question may be abandoned through its cancellation token (Ctrl-C).
/// </summary>
internal interface IAtmDisplay
{
    /// <summary>
    /// The welcome screen; returns the card inserted — a demo card by its track 2, or a card number or track 2 typed in —
    /// or null to leave the emulator.
    /// </summary>
    Task<CardData?> WelcomeAsync(WelcomeScreen screen, IReadOnlyList<DemoCard> cards, CancellationToken cancellationToken);

    /// <summary>Asks for the PIN, echoing <c>*</c>; null when the customer cancels (empty entry).</summary>
    Task<string?> AskForPinAsync(CancellationToken cancellationToken);

    /// <summary>The main menu: balance, fast cash amounts, other amount, cancel.</summary>
    Task<MenuChoice> AskForMenuChoiceAsync(IReadOnlyList<long> fastCashAmounts, CancellationToken cancellationToken);

    /// <summary>Asks for another amount in minor units; null when the customer cancels.</summary>
    Task<long?> AskForAmountAsync(CancellationToken cancellationToken);

    /// <summary>Shows <paramref name="text"/> while <paramref name="work"/> runs.</summary>
    Task<T> WhileWaitingAsync<T>(string text, Func<Task<T>> work);

    /// <summary>The dispenser: returns how much was actually dispensed (all of it, 0 for a jam, or part of it).</summary>
    Task<long> DispenseAsync(long amount, CancellationToken cancellationToken);

    Task ShowBalanceAsync(BalanceScreen screen, CancellationToken cancellationToken);

    Task ShowReceiptAsync(Receipt receipt, CancellationToken cancellationToken);

    /// <summary>A decline or failure, as one plain sentence.</summary>
    Task ShowProblemAsync(string sentence, CancellationToken cancellationToken);

    Task<bool> AskForAnotherTransactionAsync(CancellationToken cancellationToken);

    /// <summary>The end of a customer's visit (card returned).</summary>
    Task ShowGoodbyeAsync(string sentence, CancellationToken cancellationToken);
}
