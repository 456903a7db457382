using SocketAtm.IssuerSim;
using SocketAtm.IssuerSim.Faults;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>
/// PROTOCOL.md §15 with the ledger on PostgreSQL: the same forwarding, give-up and reversal as on LiteDB, and two hosts of
/// one database sharing what was forwarded — a repeat on the other host finds the answer, or waits for it.
/// </summary>
public sealed class PostgreSqlAcquiringTests(PostgreSqlServerFixture postgres) : IClassFixture<PostgreSqlServerFixture>
{
    [PostgreSqlFact]
    public async Task An_approval_is_passed_through_and_both_books_agree()
    {
        await using var acquirer = await StartAsync(new FaultOptions(), TimeSpan.FromSeconds(2));
        await using var atm = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint);

        var answer = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 4_000, TestTerminal.NextStan(), AcquirerHarness.RichCard));

        Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode));
        Assert.Matches("^[0-9]{6}$", answer.GetString(DataElements.AuthorizationId));
        var rrn = answer.GetString(DataElements.RetrievalReference)!;
        Assert.Equal(4_000, acquirer.IssuerNet(rrn));
        Assert.Equal(4_000, await acquirer.AcquirerNetAsync(rrn));
        Assert.Equal(IssuerDemoData.Rich.Balance - 4_000, acquirer.Issuer.BalanceOf(AcquirerHarness.RichCard));
    }

    [PostgreSqlFact]
    public async Task No_answer_within_the_budget_is_91_and_exactly_one_reversal_the_issuer_accepts()
    {
        await using var acquirer = await StartAsync(new FaultOptions { DropProbability = 1 }, TimeSpan.FromMilliseconds(500));
        await using var atm = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint);

        var answer = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, 3_000, TestTerminal.NextStan(), AcquirerHarness.RichCard));

        Assert.Equal(ResponseCodes.IssuerUnavailable, answer.GetString(DataElements.ResponseCode));
        var rrn = answer.GetString(DataElements.RetrievalReference)!;
        Assert.Equal(ResponseCodes.Approved, acquirer.IssuerLine(rrn)?.Response);
        await AcquirerHarness.Eventually(() => acquirer.IssuerLine(rrn)?.ReversalResponse == ResponseCodes.Approved, "the issuer never received the reversal");
        await acquirer.RestartIssuerAsync(new FaultOptions());
        await acquirer.WaitUntilNothingOwedAsync();
        await acquirer.AssertReversedOnceAsync(rrn);
        Assert.Equal(IssuerDemoData.Rich.Balance, acquirer.Issuer.BalanceOf(AcquirerHarness.RichCard));
        Assert.Empty(await acquirer.Ledger.ListAcquirerBookAsync(null, CancellationToken.None));
    }

    [PostgreSqlFact]
    public async Task A_repeat_on_a_second_host_of_the_database_finds_the_forwarded_answer_and_waits_for_a_pending_one()
    {
        // Answers take 1 s: the second repeat reaches host B while its original is still pending upstream from host A.
        await using var acquirer = await StartAsync(new FaultOptions { Delay = TimeSpan.FromSeconds(1) }, TimeSpan.FromSeconds(3));
        var hostB = await acquirer.StartAnotherHostAsync();
        await using var atmOnA = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint);
        await using var atmOnB = await TestTerminal.ConnectAsync(hostB.EndPoint);
        var answeredStan = TestTerminal.NextStan();
        var pendingStan = TestTerminal.NextStan();

        var answered = await atmOnA.ExchangeAsync(AcquirerHarness.OffUs(atmOnA, 2_000, answeredStan, AcquirerHarness.RichCard));
        var answeredRepeat = await atmOnB.ExchangeAsync(AcquirerHarness.OffUs(atmOnB, 2_000, answeredStan, AcquirerHarness.RichCard, mti: 201));
        var pending = atmOnA.ExchangeAsync(AcquirerHarness.OffUs(atmOnA, 1_500, pendingStan, AcquirerHarness.RichCard));
        await AcquirerHarness.Eventually(() => acquirer.Issuer.Book().Count == 2, "the issuer never booked the second original");
        var pendingRepeat = await atmOnB.ExchangeAsync(AcquirerHarness.OffUs(atmOnB, 1_500, pendingStan, AcquirerHarness.RichCard, mti: 201));
        var pendingOriginal = await pending;

        foreach (var (original, repeat) in new[] { (answered, answeredRepeat), (pendingOriginal, pendingRepeat) })
        {
            Assert.Equal(ResponseCodes.Approved, original.GetString(DataElements.ResponseCode));
            Assert.Equal(ResponseCodes.Approved, repeat.GetString(DataElements.ResponseCode));
            Assert.Equal(original.GetString(DataElements.AuthorizationId), repeat.GetString(DataElements.AuthorizationId));
            Assert.Equal(original.GetString(DataElements.RetrievalReference), repeat.GetString(DataElements.RetrievalReference));
            Assert.Equal(1, acquirer.Decisions.Count("0200", original.GetString(DataElements.RetrievalReference)!));
        }

        Assert.Equal(2, acquirer.Issuer.Book().Count);
        Assert.Equal(IssuerDemoData.Rich.Balance - 3_500, acquirer.Issuer.BalanceOf(AcquirerHarness.RichCard));
        Assert.Equal(3_500, (await AcquirerHarness.LedgerOf(hostB).ListAcquirerBookAsync(null, CancellationToken.None)).Sum(line => line.NetAmount));
    }

    private async Task<AcquirerHarness> StartAsync(FaultOptions faults, TimeSpan timeout) =>
        await AcquirerHarness.StartAsync(new AcquirerSetup { Faults = faults, Timeout = timeout, PostgreSqlConnectionString = await postgres.Server.CreateDatabaseAsync() });
}
