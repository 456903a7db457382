using Microsoft.Extensions.Logging;
using SocketAtm.Client.Diagnostics;
using SocketAtm.Client.Exchange;
using SocketAtm.Client.Link;
using SocketAtm.Client.Messages;
using SocketAtm.Client.Reversals;
using SocketAtm.Client.Security;
using SocketAtm.Client.SignOn;
using SocketAtm.Client.Transactions;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Client;

/// <summary>
/// One ATM terminal: balance inquiries and withdrawals with PIN blocks and (when configured) MACs, automatic reversal of
/// withdrawals that get no valid answer, and full or partial reversal of what could not be dispensed. Every method is
/// asynchronous, safe to call concurrently, and reports a typed result instead of throwing for anything the host or
/// the network does; only caller mistakes (a malformed PAN, a negative amount) throw.
/// </summary>
/// <example>
/// <code>
/// await using var atm = await AtmTerminalClient.ConnectAsync(
///     new TerminalConnectionOptions { Host = "127.0.0.1", Port = 8583 },
///     new TerminalClientOptions { TerminalId = "ATM00009" },
///     cancellationToken);
/// var result = await atm.WithdrawAsync(CardData.FromTrack2("4761739001010119=281210114931734"), "1234", 4000);
/// if (result is TransactionApproved approved)
/// {
///     await atm.ReportDispenseAsync(approved, dispensedAmount: 4000);
/// }
/// </code>
/// </example>
public sealed class AtmTerminalClient : IAsyncDisposable
{
    private readonly TerminalConnection _connection;
    private readonly TerminalClientOptions _options;
    private readonly bool _ownsConnection;
    private readonly ILogger _logger;
    private readonly KeyExchangeGate _gate = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly WorkingKeys _keys;
    private readonly TerminalExchange _exchange;
    private readonly SignOnState _signOn;
    private readonly KeyExchanger _keyExchanger;
    private readonly SignOnSequence _signOnSequence;
    private readonly ReversalEngine _reversals;
    private readonly CardTransactions _cards;
    private int _disposed;

    internal AtmTerminalClient(TerminalConnection connection, TerminalClientOptions options, bool ownsConnection)
    {
        _connection = connection;
        _options = options;
        _ownsConnection = ownsConnection;
        _logger = connection.Logger;
        TerminalId = options.TerminalId;
        UsesMac = options.ResolveUseMac();
        _keys = new WorkingKeys(options.Keys);
        _exchange = new TerminalExchange(connection, options, UsesMac, _keys);
        _signOn = new SignOnState(connection, options, _closing);
        _keyExchanger = new KeyExchanger(connection, options, _gate, _keys, _exchange);
        _signOnSequence = new SignOnSequence(connection, options, _exchange, _keyExchanger, _signOn);
        _reversals = new ReversalEngine(connection, options, _closing, _gate, _signOn, _exchange);
        _cards = new CardTransactions(connection, options, _keys, _gate, _signOn, _exchange, _reversals);
    }

    /// <summary>DE 41 of every request.</summary>
    public string TerminalId { get; }

    /// <summary>Whether financial requests are MACed and responses must carry a correct MAC.</summary>
    public bool UsesMac { get; }

    /// <summary>The connection this terminal talks over.</summary>
    public TerminalConnection Connection => _connection;

    /// <summary>True while the terminal is signed on over the current link.</summary>
    public bool IsSignedOn => _signOn.IsSignedOn;

    /// <summary>DE 39 of the last sign-on answer (null before the first, or when it went unanswered).</summary>
    public string? LastSignOnResponseCode => _signOn.LastSignOnResponseCode;

    /// <summary>Reversals sent but not yet acknowledged by the host.</summary>
    public int OutstandingReversals => _reversals.Count;

    /// <summary>Key check values of the PIN key and MAC key in use (they change after a key exchange). Safe to show.</summary>
    public (string PinKey, string MacKey) KeyCheckValues => _keys.CheckValues;

    /// <summary>
    /// Opens a connection of its own for one terminal, signs it on, and returns once it is online (the connection keeps
    /// reconnecting after that). Disposing the terminal signs off and closes the connection.
    /// </summary>
    public static async Task<AtmTerminalClient> ConnectAsync(
        TerminalConnectionOptions connection,
        TerminalClientOptions terminal,
        CancellationToken cancellationToken = default)
    {
        var link = new TerminalConnection(connection);
        try
        {
            var client = link.AddTerminal(terminal, ownsConnection: true);
            await link.StartAsync(cancellationToken);
            return client;
        }
        catch
        {
            await link.DisposeAsync();
            throw;
        }
    }

    /// <summary>A balance inquiry (0100, processing code 31xx00).</summary>
    /// <exception cref="ArgumentException">The PAN is not 13–19 digits or the PIN not 4–12 digits.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the request was sent.</exception>
    public Task<TransactionResult> BalanceAsync(string pan, string pin, AccountType account = AccountType.Default, CancellationToken cancellationToken = default) =>
        _cards.BalanceAsync(CardData.FromPan(pan), pin, account, cancellationToken);

    /// <summary>A balance inquiry (0100) for the card as read: by its track 2 (DE 35) when <see cref="CardData.Track2"/> is known.</summary>
    /// <exception cref="ArgumentException">The PIN is not 4–12 digits.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the request was sent.</exception>
    public Task<TransactionResult> BalanceAsync(CardData card, string pin, AccountType account = AccountType.Default, CancellationToken cancellationToken = default) =>
        _cards.BalanceAsync(card, pin, account, cancellationToken);

    /// <summary>
    /// A cash withdrawal (0200, processing code 01xx00) of <paramref name="amount"/> minor units. Without a valid answer
    /// in time — or on 96 or 94 — the terminal reverses it at once (0400, repeated as 0401 until acknowledged); the result
    /// carries that reversal. Cancelling after the request went out also reverses.
    /// After an approval, dispense and then call <see cref="ReportDispenseAsync"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The PAN is not 13–19 digits or the PIN not 4–12 digits.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The amount is not 1 … 999999999999.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the request was sent.</exception>
    public Task<TransactionResult> WithdrawAsync(string pan, string pin, long amount, AccountType account = AccountType.Default, CancellationToken cancellationToken = default) =>
        _cards.WithdrawAsync(CardData.FromPan(pan), pin, amount, account, cancellationToken);

    /// <summary>
    /// The same withdrawal for the card as read: by its track 2 (DE 35) when <see cref="CardData.Track2"/> is known, which
    /// a host off loopback requires by default. Its reversals name the card by DE 2.
    /// </summary>
    /// <exception cref="ArgumentException">The PIN is not 4–12 digits.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The amount is not 1 … 999999999999.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the request was sent.</exception>
    public Task<TransactionResult> WithdrawAsync(CardData card, string pin, long amount, AccountType account = AccountType.Default, CancellationToken cancellationToken = default) =>
        _cards.WithdrawAsync(card, pin, amount, account, cancellationToken);

    /// <summary>
    /// Tells the host how much of an approved withdrawal was actually dispensed. All of it: nothing is sent. None (a jam):
    /// a full reversal. Part of it: a partial reversal (DE 95 = the dispensed amount). Reversals repeat as 0401 until the
    /// host acknowledges them; <paramref name="cancellationToken"/> only stops waiting for that, not the reversal.
    /// </summary>
    /// <exception cref="ArgumentException">The approval is of another terminal, or not of a withdrawal.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The dispensed amount is negative or more than was approved.</exception>
    public Task<ReversalResult> ReportDispenseAsync(TransactionApproved approval, long dispensedAmount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        if (approval.TerminalId != TerminalId || approval.Trace.Mti != MessageTypes.FinancialRequest || approval.Amount <= 0)
        {
            throw new ArgumentException("Only a withdrawal approved for this terminal can be dispensed.", nameof(approval));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(dispensedAmount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dispensedAmount, approval.Amount);
        if (dispensedAmount == approval.Amount)
        {
            return Task.FromResult(new ReversalResult(ReversalOutcome.NotNeeded, null, dispensedAmount, 0, null));
        }

        var original = new OriginalRequest(approval.Trace.Mti, approval.Trace.Stan, approval.Trace.TransmissionDateTime, approval.AcquirerId, approval.ProcessingCode, approval.Amount, approval.Pan);
        return _reversals.Start(original, dispensedAmount == 0 ? null : dispensedAmount).WaitAsync(cancellationToken);
    }

    /// <summary>An echo test (0800, DE 70 = 301) over the current link.</summary>
    public async Task<NetworkResult> EchoAsync(CancellationToken cancellationToken = default)
    {
        var session = await _signOn.WaitUntilSignedOnAsync(_options.RequestTimeout, cancellationToken);
        return session is null
            ? new NetworkResult(null, TimeSpan.Zero, "not signed on")
            : await EchoOverAsync(session, dropLinkIfUnanswered: false, cancellationToken);
    }

    /// <summary>
    /// Asks the host for new working keys (0800, DE 70 = 161), checks both KCVs and uses the keys from then on (the host
    /// makes them current at the first request under them). Waits for requests in flight to finish first and holds new
    /// ones back until it is done. Without a valid answer it asks again
    /// (<see cref="TerminalClientOptions.KeyExchangeRetryInterval"/>); if that fails too, the terminal goes on with the
    /// keys it has, which the host still holds as current.
    /// </summary>
    public async Task<NetworkResult> ExchangeKeysAsync(CancellationToken cancellationToken = default)
    {
        var session = await _signOn.WaitUntilSignedOnAsync(_options.RequestTimeout, cancellationToken);
        return session is null ? new NetworkResult(null, TimeSpan.Zero, "not signed on") : await _keyExchanger.ExchangeOverAsync(session, cancellationToken);
    }

    /// <summary>Signs on again over the current link (a terminal is signed on automatically after every connect).</summary>
    public async Task<NetworkResult> SignOnAsync(CancellationToken cancellationToken = default)
    {
        var session = _connection.CurrentSession;
        return session is null
            ? new NetworkResult(null, TimeSpan.Zero, "no link")
            : await SignOnOverAsync(session, cancellationToken);
    }

    /// <summary>
    /// Without a connection of its own: waits for outstanding reversals, signs off and leaves the connection.
    /// With one (<see cref="ConnectAsync"/>): disposes the connection, which does all that.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _connection.DisposeAsync();
            return;
        }

        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        await DrainReversalsAsync();
        var session = _signOn.Session;
        if (session is not null)
        {
            await SignOffOverAsync(session);
        }

        _connection.RemoveTerminal(this);
        await CloseAsync();
    }

    // What the connection does with each of its terminals: signs it on after every connect, echoes over an idle link,
    // tells it when a link closed, and at dispose drains its reversals, signs it off and closes it.
    internal bool IsSignedOnOver(LinkSession session) => _signOn.IsSignedOnOver(session);

    internal void LinkClosed(LinkSession session) => _signOn.LinkClosed(session);

    internal Task<NetworkResult> SignOnOverAsync(LinkSession session, CancellationToken cancellationToken = default) =>
        _signOnSequence.SignOnOverAsync(session, cancellationToken);

    internal Task SignOffOverAsync(LinkSession session) => _signOnSequence.SignOffOverAsync(session);

    internal async Task<NetworkResult> EchoOverAsync(LinkSession session, bool dropLinkIfUnanswered, CancellationToken cancellationToken = default)
    {
        var (code, reason, roundTrip) = await _exchange.NetworkRequestAsync(session, NetworkManagementCodes.Echo, cancellationToken);
        if (code is null && dropLinkIfUnanswered && reason != NoResponseReason.Cancelled && !session.IsClosed)
        {
            Log.EchoUnanswered(_logger, TerminalId, reason, session.Id);
            session.Abort();
        }

        return new NetworkResult(code, roundTrip, code is null ? reason.ToString() : null);
    }

    internal Task DrainReversalsAsync() => _reversals.DrainAsync();

    internal async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _closing.CancelAsync();
        await _reversals.WhenAllEnded();
        _closing.Dispose();
    }
}
