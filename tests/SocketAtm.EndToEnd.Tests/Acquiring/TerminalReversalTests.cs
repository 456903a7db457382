using SocketAtm.IssuerSim;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>
/// PROTOCOL.md §15: the terminal's own 0400 of a forwarded approval is answered 00 by the acquirer and goes upstream as one
/// 0420 with DE 39 = 17 (DE 95 the dispensed amount for a partial one); the issuer gives back what was not dispensed, and a
/// repeat 0401 changes nothing, on either side.
/// </summary>
public sealed class TerminalReversalTests
{
    public static TheoryData<long?> Dispensed => [null, 2_000L];

    [Theory]
    [MemberData(nameof(Dispensed))]
    public async Task The_terminals_reversal_of_a_forwarded_approval_becomes_one_0420_with_reason_17(long? dispensed)
    {
        const long Amount = 5_000;
        await using var acquirer = await AcquirerHarness.StartAsync();
        await using var atm = await TestTerminal.ConnectAsync(acquirer.Host.EndPoint);
        var stan = TestTerminal.NextStan();
        var reversalStan = TestTerminal.NextStan();

        var approval = await atm.ExchangeAsync(AcquirerHarness.OffUs(atm, Amount, stan, AcquirerHarness.RichCard));
        var rrn = approval.GetString(DataElements.RetrievalReference)!;
        var reversal = await atm.ExchangeAsync(atm.Reversal(Amount, reversalStan, stan, dispensed, pan: AcquirerHarness.RichCard));

        Assert.Equal(ResponseCodes.Approved, approval.GetString(DataElements.ResponseCode));
        Assert.Equal(MessageTypes.ResponseOf(MessageTypes.ReversalRequest), reversal.Mti);
        Assert.Equal(ResponseCodes.Approved, reversal.GetString(DataElements.ResponseCode));
        await acquirer.WaitUntilNothingOwedAsync();
        var kept = dispensed ?? 0;
        var line = acquirer.IssuerLine(rrn)!;
        Assert.Equal(ResponseCodes.Approved, line.ReversalResponse);
        Assert.Equal(kept, line.NetAmount);
        Assert.Equal(kept, await acquirer.AcquirerNetAsync(rrn));
        Assert.Equal(IssuerDemoData.Rich.Balance - kept, acquirer.Issuer.BalanceOf(AcquirerHarness.RichCard));
        Assert.Equal(1, acquirer.Decisions.Count("0420", rrn));
        Assert.Contains(acquirer.HostLog.Lines, text => text.Contains($"reversal {ResponseCodes.CustomerCancellation} of", StringComparison.Ordinal) && text.Contains(rrn, StringComparison.Ordinal));

        // The repeat is answered as the original was; nothing more goes upstream (a round of the sender passes meanwhile).
        var repeat = await atm.ExchangeAsync(atm.Reversal(Amount, reversalStan, stan, dispensed, mti: 401, pan: AcquirerHarness.RichCard));
        await Task.Delay(Server.Acquiring.SafSender.RoundInterval * 1.5);

        Assert.Equal(ResponseCodes.Approved, repeat.GetString(DataElements.ResponseCode));
        Assert.Equal(0, await acquirer.OwedCountAsync());
        Assert.Equal(1, acquirer.Decisions.Count("0420", rrn));
        Assert.Equal(0, acquirer.Decisions.Count("0421", rrn));
        Assert.Equal(kept, acquirer.IssuerNet(rrn));
        Assert.Equal(kept, await acquirer.AcquirerNetAsync(rrn));
    }
}
