using SocketAtm.Client;
using SocketAtm.Reliability.Tests.Support;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Reliability.Tests;

/// <summary>
/// Faults between terminal and host — a lost, late or duplicated frame, a connection cut mid-frame — with the real
/// client library reacting as an ATM does. After each, the books are exact: every debit the terminal did not see
/// approved is reversed once, and nothing is applied twice.
/// </summary>
public sealed class ProxyFaultTests
{
    private const string Pan = "4761739001010119";
    private const string Pin = "1234";
    private const long Opening = 100_000;

    [Fact]
    public async Task Dropped_approval_is_reversed_by_the_terminal_and_the_books_are_exact()
    {
        await using var scenario = await Scenario.StartAsync(OnlyFirst(FrameDirection.ToTerminal, 210, FaultAction.Drop));

        var lost = await scenario.Atm.WithdrawAsync(Pan, Pin, 4_000);
        var reversal = await lost.Reversal!;
        var next = await scenario.Atm.WithdrawAsync(Pan, Pin, 2_000);

        Assert.IsType<TransactionTimedOut>(lost);
        Assert.True(reversal.IsReversed, reversal.ToString());
        Assert.IsType<TransactionApproved>(next);
        await scenario.AssertBooksAsync(expectedBalance: Opening - 2_000, approvedWithdrawals: 2, reversals: 1);
    }

    [Fact]
    public async Task Approval_delayed_past_the_terminal_timeout_is_reversed_and_the_late_answer_ignored()
    {
        await using var scenario = await Scenario.StartAsync(OnlyFirst(FrameDirection.ToTerminal, 210, FaultAction.Delay));

        var late = await scenario.Atm.WithdrawAsync(Pan, Pin, 4_000);
        var reversal = await late.Reversal!;
        await Task.Delay(scenario.Proxy.Delay); // let the late 0210 arrive and be ignored
        var echo = await scenario.Atm.EchoAsync();

        Assert.IsType<TransactionTimedOut>(late);
        Assert.True(reversal.IsReversed, reversal.ToString());
        Assert.Equal("00", echo.ResponseCode);
        await scenario.AssertBooksAsync(expectedBalance: Opening, approvedWithdrawals: 1, reversals: 1);
    }

    [Fact]
    public async Task Connection_cut_inside_the_approval_frame_is_recovered_by_reconnecting_and_reversing()
    {
        await using var scenario = await Scenario.StartAsync(OnlyFirst(FrameDirection.ToTerminal, 210, FaultAction.CutMidFrame));

        var cut = await scenario.Atm.WithdrawAsync(Pan, Pin, 4_000);
        var reversal = await cut.Reversal!;
        var afterwards = await scenario.Atm.WithdrawAsync(Pan, Pin, 1_000);

        Assert.IsType<TransactionTimedOut>(cut);
        Assert.True(reversal.IsReversed, reversal.ToString());
        Assert.IsType<TransactionApproved>(afterwards);
        await scenario.AssertBooksAsync(expectedBalance: Opening - 1_000, approvedWithdrawals: 2, reversals: 1);
    }

    [Fact]
    public async Task Duplicated_withdrawal_request_is_applied_once_and_the_books_match_what_the_terminal_saw()
    {
        await using var scenario = await Scenario.StartAsync(OnlyFirst(FrameDirection.ToHost, 200, FaultAction.Duplicate));

        // The host decides the first copy (00) and answers the second 94; either answer may reach the terminal first.
        var result = await scenario.Atm.WithdrawAsync(Pan, Pin, 4_000);

        if (result is TransactionApproved)
        {
            await scenario.AssertBooksAsync(expectedBalance: Opening - 4_000, approvedWithdrawals: 1, reversals: 0);
        }
        else
        {
            // It saw 94 first, did not dispense, and reversed: the approved copy is undone.
            Assert.Equal("94", Assert.IsType<TransactionDeclined>(result).ResponseCode);
            Assert.True((await result.Reversal!).IsReversed);
            await scenario.AssertBooksAsync(expectedBalance: Opening, approvedWithdrawals: 1, reversals: 1);
        }

        Assert.Equal(1, await Books.CountDuplicatesAsync(scenario.Host.DataDirectory, "ATM00009"));
    }

    [Fact]
    public async Task Lost_reversal_answer_is_repeated_as_0401_and_restores_funds_once()
    {
        var plan = Sequence(
            (FrameDirection.ToTerminal, 210, FaultAction.Drop),
            (FrameDirection.ToTerminal, 410, FaultAction.Drop));
        await using var scenario = await Scenario.StartAsync(plan);

        var lost = await scenario.Atm.WithdrawAsync(Pan, Pin, 4_000);
        var reversal = await lost.Reversal!;

        Assert.True(reversal.IsReversed, reversal.ToString());
        Assert.True(reversal.Attempts >= 2, $"{reversal.Attempts} attempts");
        await scenario.AssertBooksAsync(expectedBalance: Opening, approvedWithdrawals: 1, reversals: 1);
    }

    /// <summary>Applies <paramref name="action"/> to the first frame of <paramref name="mti"/> going <paramref name="direction"/>.</summary>
    private static Func<FrameDirection, SocketAtm.Protocol.Iso8583.IsoMessage, FaultAction> OnlyFirst(FrameDirection direction, int mti, FaultAction action) =>
        Sequence((direction, mti, action));

    /// <summary>Applies each fault once, to the first matching frame, in order of appearance.</summary>
    private static Func<FrameDirection, SocketAtm.Protocol.Iso8583.IsoMessage, FaultAction> Sequence(params (FrameDirection Direction, int Mti, FaultAction Action)[] faults)
    {
        var used = new bool[faults.Length];
        return (direction, message) =>
        {
            lock (used)
            {
                for (var i = 0; i < faults.Length; i++)
                {
                    if (!used[i] && faults[i].Direction == direction && faults[i].Mti == message.Mti)
                    {
                        used[i] = true;
                        return faults[i].Action;
                    }
                }
            }

            return FaultAction.Forward;
        };
    }

    private sealed class Scenario : IAsyncDisposable
    {
        private Scenario(RunningHost host, FaultProxy proxy, AtmTerminalClient atm)
        {
            Host = host;
            Proxy = proxy;
            Atm = atm;
        }

        public RunningHost Host { get; }

        public FaultProxy Proxy { get; }

        public AtmTerminalClient Atm { get; }

        public static async Task<Scenario> StartAsync(Func<FrameDirection, SocketAtm.Protocol.Iso8583.IsoMessage, FaultAction> plan)
        {
            var host = await RunningHost.StartAsync();
            var proxy = new FaultProxy(host.EndPoint) { Plan = plan, Delay = TimeSpan.FromSeconds(2) };
            var atm = await AtmTerminalClient.ConnectAsync(
                new TerminalConnectionOptions { Port = proxy.Port, ReconnectDelay = TimeSpan.FromMilliseconds(100), MaxReconnectDelay = TimeSpan.FromMilliseconds(500) },
                new TerminalClientOptions { TerminalId = "ATM00009", RequestTimeout = TimeSpan.FromMilliseconds(800), ReversalRetryInterval = TimeSpan.FromMilliseconds(300) });
            return new Scenario(host, proxy, atm);
        }

        /// <summary>Stops the host and checks the balance, the invariants and what the journal holds.</summary>
        public async Task AssertBooksAsync(long expectedBalance, int approvedWithdrawals, int reversals)
        {
            await Atm.DisposeAsync();
            await Host.StopAsync();
            var (balance, invariants) = await Books.ReadAsync(Host.DataDirectory, Pan);
            Assert.True(invariants.Holds, string.Join("; ", invariants.Violations));
            Assert.Equal(expectedBalance, balance);
            Assert.Equal(approvedWithdrawals, await Books.CountDecidedAsync(Host.DataDirectory, "ATM00009", TransactionKind.Withdrawal, "00"));
            Assert.Equal(reversals, await Books.CountDecidedAsync(Host.DataDirectory, "ATM00009", TransactionKind.Reversal, "00"));
        }

        public async ValueTask DisposeAsync()
        {
            await Atm.DisposeAsync();
            await Proxy.DisposeAsync();
            await Host.DisposeAsync();
        }
    }
}
