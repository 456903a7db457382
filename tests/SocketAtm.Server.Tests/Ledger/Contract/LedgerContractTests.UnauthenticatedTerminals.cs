using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>
/// Requests the session refused because a terminal without a MAC key spoke over a connection that does not vouch for it:
/// journaled as security events (58), nothing applied or stored — not even a repeat's stored answer is given.
/// </summary>
public abstract partial class LedgerContractTests
{
    [StorageFact]
    public async Task A_request_of_an_unauthenticated_terminal_is_journaled_58_as_a_security_event_and_moves_nothing()
    {
        var key = Context.NextKey();

        var refused = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key) with { IsUnauthenticatedTerminal = true });

        Assert.Equal(ResponseCodes.NotPermittedToTerminal, refused.ResponseCode);
        Assert.Equal("unauthenticated_terminal", refused.SecurityEvent);
        Assert.Null(refused.RetrievalReference);
        Assert.Equal(100_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
        var journaled = Assert.Single(await Admin.ListJournalForTerminalAsync(LedgerTestContext.Terminal, 10, CancellationToken.None));
        Assert.Equal(JournalDisposition.Rejected, journaled.Disposition);
        Assert.Equal(ResponseCodes.NotPermittedToTerminal, journaled.ResponseCode);
        Assert.Equal(TransactionKind.Withdrawal, journaled.Kind);
        Assert.Equal(2_000, journaled.Amount);

        // Nothing was stored under the key: the genuine terminal's request with it is decided as new.
        Assert.Equal(ResponseCodes.Approved, (await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key))).ResponseCode);
        Assert.True((await Admin.VerifyInvariantsAsync(CancellationToken.None)).Holds);
    }

    [StorageFact]
    public async Task A_repeat_from_an_unauthenticated_terminal_is_refused_not_given_the_stored_answer()
    {
        var key = Context.NextKey();
        var original = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));
        Assert.Equal(ResponseCodes.Approved, original.ResponseCode);

        var repeat = await ExecuteAsync(Context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key, mti: 201) with { IsUnauthenticatedTerminal = true });

        Assert.Equal(ResponseCodes.NotPermittedToTerminal, repeat.ResponseCode);
        Assert.Null(repeat.AuthorizationId);
        Assert.Equal(98_000, (await BalanceOfAsync(DemoCards.Active)).LedgerBalance);
    }
}
