using System.Collections.Concurrent;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// Registered terminals, read from the ledger and cached. A sign-on always reads the ledger again, so a terminal
/// disabled or re-keyed by an administrator takes the change at its next sign-on.
/// </summary>
internal sealed class TerminalDirectory
{
    private readonly ILedger _ledger;
    private readonly ConcurrentDictionary<string, TerminalRecord> _cache = new(StringComparer.Ordinal);

    public TerminalDirectory(ILedger ledger) => _ledger = ledger;

    /// <summary>The terminal as the ledger has it now; refreshes the cache.</summary>
    public async ValueTask<TerminalRecord?> RefreshAsync(string terminalId, CancellationToken cancellationToken)
    {
        var terminal = await _ledger.FindTerminalAsync(terminalId, cancellationToken);
        if (terminal is null)
        {
            _cache.TryRemove(terminalId, out _);
        }
        else
        {
            _cache[terminalId] = terminal;
        }

        return terminal;
    }

    /// <summary>The terminal from the cache, or from the ledger when not cached yet.</summary>
    public ValueTask<TerminalRecord?> FindAsync(string terminalId, CancellationToken cancellationToken) =>
        _cache.TryGetValue(terminalId, out var terminal)
            ? ValueTask.FromResult<TerminalRecord?>(terminal)
            : RefreshAsync(terminalId, cancellationToken);
}
