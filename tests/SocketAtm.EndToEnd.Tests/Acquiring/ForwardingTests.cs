using SocketAtm.IssuerSim;
using SocketAtm.IssuerSim.Faults;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>
/// PROTOCOL.md §15 over real sockets: a terminal's request for a card of another issuer goes to the issuer simulator,
/// which verifies the PIN under its ZPK and keeps its own book; the terminal gets the issuer's answer, or 91 and the
/// withdrawal reversed upstream exactly once.
/// </summary>
public sealed class ForwardingTests
{
    [Fact]
    public async Task A_card_of_another_issuer_is_approved_by_its_issuer_with_the_pin_translated_and_both_books_agree()
    {
        await using var acquirer = await AcquirerHarness.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint);

        var answer = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 4_000, TestTerminal.NextStan(), AcquirerHarness.RichCard, AcquirerHarness.Pin));

        Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode));
        var rrn = answer.GetString(DataElements.RetrievalReference)!;
        Assert.Matches("^[0-9]{6}$", answer.GetString(DataElements.AuthorizationId));
        Assert.NotNull(answer.GetString(DataElements.AdditionalAmounts));
        var issuerLine = acquirer.IssuerLine(rrn);
        Assert.NotNull(issuerLine);
        Assert.Equal(4_000, issuerLine.NetAmount);
        var acquirerLine = Assert.Single(await acquirer.Ledger.ListAcquirerBookAsync(AcquirerHarness.Route, CancellationToken.None));
        Assert.Equal((rrn, 4_000L), (acquirerLine.RetrievalReference.Trim(), acquirerLine.NetAmount));
        Assert.Equal(IssuerDemoData.Rich.Balance - 4_000, acquirer.Issuer.BalanceOf(AcquirerHarness.RichCard));
    }

    [Fact]
    public async Task The_issuers_declines_reach_the_terminal_unchanged()
    {
        await using var acquirer = await AcquirerHarness.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint);

        var wrongPin = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 1_000, TestTerminal.NextStan(), AcquirerHarness.RichCard, "9999"));
        var insufficient = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 50_000, TestTerminal.NextStan(), IssuerDemoData.Poor.Pan, AcquirerHarness.Pin));
        var blocked = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 1_000, TestTerminal.NextStan(), IssuerDemoData.Blocked.Pan, AcquirerHarness.Pin));
        var onUs = await atm.ExchangeAsync(atm.Withdrawal(1_000, TestTerminal.NextStan()));

        Assert.Equal(ResponseCodes.IncorrectPin, wrongPin.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.InsufficientFunds, insufficient.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.RestrictedCard, blocked.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.Approved, onUs.GetString(DataElements.ResponseCode));
        Assert.Empty(await acquirer.Ledger.ListAcquirerBookAsync(null, CancellationToken.None));
        Assert.Equal(IssuerDemoData.Rich.Balance, acquirer.Issuer.BalanceOf(AcquirerHarness.RichCard));
    }

    [Fact]
    public async Task A_repeat_of_a_forwarded_withdrawal_replays_its_answer_and_is_never_forwarded_again()
    {
        await using var acquirer = await AcquirerHarness.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint);
        var stan = TestTerminal.NextStan();

        var original = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 2_500, stan, AcquirerHarness.RichCard, AcquirerHarness.Pin));
        var repeat = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 2_500, stan, AcquirerHarness.RichCard, AcquirerHarness.Pin, mti: 201));
        var duplicate = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 2_500, stan, AcquirerHarness.RichCard, AcquirerHarness.Pin));

        Assert.Equal(ResponseCodes.Approved, repeat.GetString(DataElements.ResponseCode));
        Assert.Equal(original.GetString(DataElements.AuthorizationId), repeat.GetString(DataElements.AuthorizationId));
        Assert.Equal(original.GetString(DataElements.RetrievalReference), repeat.GetString(DataElements.RetrievalReference));
        Assert.Equal(ResponseCodes.DuplicateTransmission, duplicate.GetString(DataElements.ResponseCode));
        Assert.Single(acquirer.Issuer.Book());
        Assert.Equal(IssuerDemoData.Rich.Balance - 2_500, acquirer.Issuer.BalanceOf(AcquirerHarness.RichCard));
    }

    [Fact]
    public async Task No_answer_within_the_budget_is_91_and_exactly_one_reversal_the_issuer_accepts_restores_the_funds()
    {
        // The issuer approves and books, then its answer is lost: what the acquirer must undo.
        await using var acquirer = await AcquirerHarness.StartAsync(new FaultOptions { DropProbability = 1 }, TimeSpan.FromMilliseconds(500));
        await using var atm = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint);

        var answer = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 3_000, TestTerminal.NextStan(), AcquirerHarness.RichCard, AcquirerHarness.Pin));

        Assert.Equal(ResponseCodes.IssuerUnavailable, answer.GetString(DataElements.ResponseCode));
        var rrn = answer.GetString(DataElements.RetrievalReference)!;
        Assert.Equal(ResponseCodes.Approved, acquirer.IssuerLine(rrn)?.Response);

        // Its 0430s are dropped too: the 0421s go on until one gets through, and the issuer applies the reversal once.
        await AcquirerHarness.Eventually(() => acquirer.IssuerLine(rrn)?.ReversalResponse == ResponseCodes.Approved, "the issuer never received the reversal");
        await acquirer.RestartIssuerAsync(new FaultOptions());
        await AcquirerHarness.Eventually(
            async () => (await acquirer.Ledger.ListOwedMessagesAsync(AcquirerHarness.Route, 10, CancellationToken.None)).Count == 0,
            "the reversal was never acknowledged",
            TimeSpan.FromSeconds(20));
        var line = acquirer.IssuerLine(rrn)!;
        Assert.Equal(0, line.NetAmount);
        Assert.Equal(IssuerDemoData.Rich.Balance, acquirer.Issuer.BalanceOf(AcquirerHarness.RichCard));
        Assert.Empty(await acquirer.Ledger.ListAcquirerBookAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task On_us_cards_never_wait_for_an_issuer_that_does_not_answer()
    {
        await using var acquirer = await AcquirerHarness.StartAsync(new FaultOptions { DropProbability = 1 }, TimeSpan.FromSeconds(5));
        await using var offUs = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint, "ATM00009");
        await using var onUs = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint, "ATM00010");

        var forwarded = offUs.ExchangeAsync(AcquirerHarness.OffUs(offUs, 1_000, TestTerminal.NextStan(), AcquirerHarness.RichCard, AcquirerHarness.Pin));
        var started = DateTime.UtcNow;
        var onUsAnswer = await onUs.ExchangeAsync(onUs.Withdrawal(1_000, TestTerminal.NextStan()));
        var onUsTook = DateTime.UtcNow - started;

        Assert.Equal(ResponseCodes.Approved, onUsAnswer.GetString(DataElements.ResponseCode));
        Assert.True(onUsTook < TimeSpan.FromSeconds(2), $"an on-us withdrawal took {onUsTook} behind a silent issuer");
        Assert.False(forwarded.IsCompleted);
        Assert.Equal(ResponseCodes.IssuerUnavailable, (await forwarded).GetString(DataElements.ResponseCode));
    }
}
