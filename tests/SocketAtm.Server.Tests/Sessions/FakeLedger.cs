using System.Collections.Concurrent;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Tests.Sessions;

/// <summary>
/// A ledger double for session tests: records what it is asked and answers with a rule the test sets, optionally
/// holding answers back so a test can complete requests in the order it chooses.
/// </summary>
internal sealed class FakeLedger : ILedger
{
    public static readonly byte[] DemoMasterKey = DemoKeys.MasterKey;
    public static readonly byte[] DemoPinKey = DemoKeys.PinKey;
    public static readonly byte[] DemoMacKey = DemoKeys.MacKey;
    public static readonly byte[] DemoPinVerificationKey = DemoKeys.PinVerificationKey;

    private readonly ConcurrentDictionary<string, TerminalRecord> _terminals = new(StringComparer.Ordinal);

    public FakeLedger()
    {
        AddTerminal("ATM00001", requiresMac: true);
        AddTerminal("ATM00009");
    }

    public TerminalRecord Terminal(string terminalId) => _terminals[terminalId];

    public ConcurrentQueue<LedgerRequest> Requests { get; } = new();

    /// <summary>Decides each request; approves with a fixed auth id and balance unless a test says otherwise.</summary>
    public Func<LedgerRequest, Task<LedgerOutcome>> Decide { get; set; } = request => Task.FromResult(new LedgerOutcome
    {
        ResponseCode = "00",
        AuthorizationId = "123456",
        RetrievalReference = "000000000001",
        AccountType = AccountType.Checking,
        LedgerBalance = 96000,
        AvailableBalance = 96000,
        Currency = 840,
    });

    public void AddTerminal(string terminalId, bool enabled = true, bool requiresMac = false) => _terminals[terminalId] = new TerminalRecord
    {
        TerminalId = terminalId,
        Enabled = enabled,
        RequiresMac = requiresMac,
        MasterKey = DemoMasterKey,
        PinKey = DemoPinKey,
        MacKey = DemoMacKey,
    };

    public async ValueTask<LedgerOutcome> ExecuteAsync(LedgerRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return await Decide(request).WaitAsync(cancellationToken);
    }

    public ValueTask<TerminalRecord?> FindTerminalAsync(string terminalId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_terminals.TryGetValue(terminalId, out var terminal) ? terminal : null);

    /// <summary>The clock key overlaps are measured on; the session harness sets its fake clock here.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    public TimeSpan KeyOverlap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>As the real ledgers: the keys become pending, the current ones stay.</summary>
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

    /// <summary>Promotions asked for, in order (terminal id).</summary>
    public ConcurrentQueue<string> Promotions { get; } = new();

    public Task<KeyPromotion> PromotePendingKeysAsync(string terminalId, byte[] pinKey, byte[] macKey, CancellationToken cancellationToken)
    {
        Promotions.Enqueue(terminalId);
        var stored = _terminals[terminalId];
        if (!stored.HasPendingKeys(pinKey, macKey))
        {
            return Task.FromResult(new KeyPromotion(stored, false));
        }

        var promoted = stored.WithPendingKeysPromoted(Time.GetUtcNow() + KeyOverlap);
        _terminals[terminalId] = promoted;
        return Task.FromResult(new KeyPromotion(promoted, true));
    }

    public ValueTask<PinVerificationKey> GetPinVerificationKeyAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PinVerificationKey(DemoPinVerificationKey, 1));

    public ValueTask<CardVerificationKey> GetCardVerificationKeyAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new CardVerificationKey(DemoKeys.CardVerificationKey));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
