using SocketAtm.Client;
using SocketAtm.TerminalClient.Emulator;

namespace SocketAtm.TerminalClient.Tests.Emulator;

/// <summary>
/// Plays the customer: answers each question from a script, in order, and keeps everything the ATM showed. A question
/// the script did not expect fails the test with what was asked.
/// </summary>
internal sealed class ScriptedDisplay : IAtmDisplay
{
    private readonly Queue<object?> _answers;

    public ScriptedDisplay(params object?[] answers) => _answers = new Queue<object?>(answers);

    public List<object> Shown { get; } = [];

    public List<string> Asked { get; } = [];

    /// <remarks>A card in the script is a <see cref="CardData"/>, or a PAN typed in (a string).</remarks>
    public Task<CardData?> WelcomeAsync(WelcomeScreen screen, IReadOnlyList<DemoCard> cards, CancellationToken cancellationToken)
    {
        Shown.Add(screen);
        return Task.FromResult(_answers.Count == 0 ? null : Next<object?>("card") switch
        {
            CardData card => card,
            string pan => CardData.FromPan(pan),
            _ => null,
        });
    }

    public Task<string?> AskForPinAsync(CancellationToken cancellationToken) => Task.FromResult(Next<string?>("PIN"));

    public Task<MenuChoice> AskForMenuChoiceAsync(IReadOnlyList<long> fastCashAmounts, CancellationToken cancellationToken) =>
        Task.FromResult(Next<MenuChoice>("menu"));

    public Task<long?> AskForAmountAsync(CancellationToken cancellationToken) => Task.FromResult(Next<long?>("amount"));

    public Task<T> WhileWaitingAsync<T>(string text, Func<Task<T>> work) => work();

    public Task<long> DispenseAsync(long amount, CancellationToken cancellationToken) => Task.FromResult(Next<long>("dispense"));

    public Task ShowBalanceAsync(BalanceScreen screen, CancellationToken cancellationToken) => Show(screen);

    public Task ShowReceiptAsync(Receipt receipt, CancellationToken cancellationToken) => Show(receipt);

    public Task ShowProblemAsync(string sentence, CancellationToken cancellationToken) => Show(new Problem(sentence));

    public Task<bool> AskForAnotherTransactionAsync(CancellationToken cancellationToken) => Task.FromResult(Next<bool>("another transaction"));

    public Task ShowGoodbyeAsync(string sentence, CancellationToken cancellationToken) => Show(new Goodbye(sentence));

    public T Single<T>() => Assert.Single(Shown.OfType<T>());

    private Task Show(object shown)
    {
        Shown.Add(shown);
        return Task.CompletedTask;
    }

    private T Next<T>(string question)
    {
        Asked.Add(question);
        if (_answers.Count == 0)
        {
            throw new InvalidOperationException($"The ATM asked for {question} after the script ended. Shown: {string.Join(" | ", Shown)}");
        }

        var answer = _answers.Dequeue();
        return answer is T typed || (answer is null && default(T) is null)
            ? (T)answer!
            : throw new InvalidOperationException($"The ATM asked for {question} but the script's next answer is {answer}. Shown: {string.Join(" | ", Shown)}");
    }

    public sealed record Problem(string Sentence);

    public sealed record Goodbye(string Sentence);
}
