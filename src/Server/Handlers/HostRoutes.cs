using Microsoft.Extensions.Logging;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Security;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Handlers;

/// <summary>
/// The host's route table — which MTI and processing code go to which handler, which handler answers a failed MAC or a
/// terminal without a MAC key on a connection that does not vouch for it, what makes pending keys current and what
/// counts unknown terminals —
/// defined once, for the host, its tests and its benchmarks. Every handler the host runs is created here.
/// </summary>
internal static class HostRoutes
{
    /// <param name="transmissionWindow">How far DE 7 of a card request may be from the host's clock.</param>
    /// <param name="keyExchanges">How often a terminal may exchange keys; null for the defaults.</param>
    /// <param name="acceptRequestsWithoutTrack2">Whether a card request without DE 35 is accepted (<see cref="Track2Options"/>).</param>
    /// <param name="violations">Counts and throttles security violations (bad MACs, stale DE 7, unknown terminals).</param>
    /// <param name="acquirer">Forwards cards of other issuers (PROTOCOL.md §15); null when the host acquires for none.</param>
    public static RouteTable Build(
        ILedger ledger,
        PinVerifier pins,
        TimeProvider time,
        ILoggerFactory loggers,
        AtmMetrics metrics,
        TimeSpan transmissionWindow,
        ThrottledViolations violations,
        KeyExchangeOptions? keyExchanges = null,
        bool acceptRequestsWithoutTrack2 = true,
        Acquiring.Acquirer? acquirer = null)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        var keyExchangeRate = new KeyExchangeRateLimit(keyExchanges ?? new KeyExchangeOptions(), time);
        var balance = new CardTransactionHandler(TransactionKind.BalanceInquiry, ledger, pins, time, transmissionWindow, violations, acceptRequestsWithoutTrack2, acquirer);
        var withdrawal = new CardTransactionHandler(TransactionKind.Withdrawal, ledger, pins, time, transmissionWindow, violations, acceptRequestsWithoutTrack2, acquirer);
        var reversal = new ReversalHandler(ledger, time);
        return new RouteTable.Builder()
            .Map(MessageTypes.NetworkManagementRequest, new NetworkManagementHandler(ledger, keyExchangeRate, time, transmissionWindow, metrics, loggers.CreateLogger<NetworkManagementHandler>()))
            .Map(MessageTypes.AuthorizationRequest, TransactionTypes.BalanceInquiry, balance)
            .Map(MessageTypes.AuthorizationRequest, TransactionTypes.BalanceInquiryAlternate, balance)
            .Map(MessageTypes.FinancialRequest, TransactionTypes.BalanceInquiry, balance)
            .Map(MessageTypes.FinancialRequest, TransactionTypes.BalanceInquiryAlternate, balance)
            .Map(MessageTypes.FinancialRequest, TransactionTypes.CashWithdrawal, withdrawal)
            .Map(MessageTypes.ReversalRequest, TransactionTypes.CashWithdrawal, reversal)
            .Map(MessageTypes.ReversalAdvice, TransactionTypes.CashWithdrawal, reversal)
            .MapMacFailure(new SecurityViolationHandler(ledger, violations, time, loggers.CreateLogger<SecurityViolationHandler>()))
            .MapViolations(violations)
            .MapUnauthenticatedTerminal(new UnauthenticatedTerminalHandler(ledger, violations, time, loggers.CreateLogger<UnauthenticatedTerminalHandler>()))
            .MapKeyPromotion(new PendingKeyPromotion(ledger, time, loggers.CreateLogger<PendingKeyPromotion>()))
            .Build();
    }
}
