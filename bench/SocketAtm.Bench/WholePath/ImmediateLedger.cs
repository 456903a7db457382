using System.Collections.Concurrent;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Security;

namespace SocketAtm.Bench.WholePath;

/// <summary>
/// A ledger that answers every financial request at once, from memory, with one approval: the whole-path benchmarks
/// run against it to show what parsing, dispatch, PIN decryption and PVV, building and writing cost without storage.
/// Knows the demo terminals, with their demo keys.
/// </summary>
internal sealed class ImmediateLedger : ILedger
{
    /// <summary>One approval for every request, built once, as a ledger that stored nothing would answer.</summary>
    private static readonly LedgerOutcome Approval = new()
    {
        ResponseCode = "00",
        AuthorizationId = "000001",
        RetrievalReference = "000000000001",
        AccountType = AccountType.Checking,
        LedgerBalance = 99_999_999,
        AvailableBalance = 99_999_999,
        Currency = DemoData.Currency,
    };

    private readonly ConcurrentDictionary<string, TerminalRecord> _terminals =
        new(DemoData.Terminals().Select(terminal => KeyValuePair.Create(terminal.TerminalId, terminal)), StringComparer.Ordinal);

    public ValueTask<LedgerOutcome> ExecuteAsync(LedgerRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Approval);

    public ValueTask<TerminalRecord?> FindTerminalAsync(string terminalId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_terminals.GetValueOrDefault(terminalId));

    public Task<PendingKeysResult> StorePendingKeysAsync(string terminalId, byte[] pinKey, byte[] macKey, KeyExchangeRequest exchange, CancellationToken cancellationToken)
    {
        var stored = _terminals[terminalId];
        var order = stored.OrderOf(exchange);
        if (order == KeyExchangeOrder.Later)
        {
            stored = _terminals[terminalId] = stored.WithPendingKeys(pinKey, macKey, exchange);
        }

        return Task.FromResult(new PendingKeysResult(order, stored));
    }

    public Task<KeyPromotion> PromotePendingKeysAsync(string terminalId, byte[] pinKey, byte[] macKey, CancellationToken cancellationToken)
    {
        var stored = _terminals[terminalId];
        if (!stored.HasPendingKeys(pinKey, macKey))
        {
            return Task.FromResult(new KeyPromotion(stored, false));
        }

        var promoted = stored.WithPendingKeysPromoted(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(2));
        _terminals[terminalId] = promoted;
        return Task.FromResult(new KeyPromotion(promoted, true));
    }

    public ValueTask<PinVerificationKey> GetPinVerificationKeyAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(DemoData.PinVerificationKey);

    /// <summary>One instance, so that serving it allocates nothing.</summary>
    private static readonly CardVerificationKey DemoCardVerificationKey = DemoData.CardVerificationKey;

    public ValueTask<CardVerificationKey> GetCardVerificationKeyAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(DemoCardVerificationKey);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
