using SocketAtm.Client;

namespace SocketAtm.Browser.Tests;

/// <summary>A few terminals withdrawing small amounts from the demo's rich card, until stopped: a host under a small load.</summary>
internal sealed class ConsoleLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<AtmTerminalClient> _terminals;
    private readonly Task[] _running;

    private ConsoleLoad(List<AtmTerminalClient> terminals)
    {
        _terminals = terminals;
        _running = [.. terminals.Select(terminal => Task.Run(() => WithdrawUntilStoppedAsync(terminal)))];
    }

    public long Approved => Interlocked.Read(ref _approved);

    private long _approved;

    public static async Task<ConsoleLoad> StartAsync(int port, IEnumerable<string> terminalIds)
    {
        var terminals = new List<AtmTerminalClient>();
        foreach (var id in terminalIds)
        {
            terminals.Add(await AtmTerminalClient.ConnectAsync(new TerminalConnectionOptions { Port = port }, new TerminalClientOptions { TerminalId = id }));
        }

        return new ConsoleLoad(terminals);
    }

    private async Task WithdrawUntilStoppedAsync(AtmTerminalClient terminal)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (await terminal.WithdrawAsync(DemoCards.Rich, DemoCards.RichPin, amount: 100, cancellationToken: _stop.Token) is TransactionApproved)
                {
                    Interlocked.Increment(ref _approved);
                }

                await Task.Delay(50, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
        foreach (var terminal in _terminals)
        {
            await terminal.DisposeAsync();
        }

        _stop.Dispose();
    }
}
