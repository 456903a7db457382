using Microsoft.Extensions.Logging;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Handlers;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Security;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Hosting;

/// <summary>
/// The one composition of the session pipeline: the route table's handlers over the ledger and the PIN verifier, the
/// dispatcher that runs PROTOCOL.md §6's checks before them, and the services every session shares, which open the
/// sessions. The host composes its sessions here, and so do the tests' session harnesses and the benchmarks' in-memory
/// host, so that what they run is what the host runs.
/// </summary>
internal static class SessionPipeline
{
    /// <param name="pins">Must have its key loaded before the first request arrives (the host loads it as the ledger opens).</param>
    /// <param name="transmission">The transmission window card requests are checked against; null for the default.</param>
    /// <param name="keyExchanges">How often a terminal may exchange keys (the "Security" section); null for the defaults.</param>
    /// <param name="acceptRequestsWithoutTrack2">Whether card requests without DE 35 are accepted (the host resolves <see cref="Track2Options"/>).</param>
    /// <param name="violations">
    /// The throttle of security violations (the host's, whose timer and final flush the host runs); null for one on the
    /// default settings, whose ended windows are taken only as further violations come.
    /// <param name="terminalsWithoutMacOnAnyConnection">
    /// Whether any connection may carry a terminal without a MAC key, or only one whose client certificate names it (the
    /// host resolves <see cref="TerminalAuthenticationOptions"/> against its listener).
    /// </param>
    /// <param name="acquirer">Forwards cards of other issuers (PROTOCOL.md §15); null when the host acquires for none.</param>
    /// <param name="presence">The host's list of signed-on terminals (the operations console reads it); null for the pipeline's own.</param>
    /// <returns>The shared services; <see cref="SessionServices.Open"/> opens a session over a connection.</returns>
    public static SessionServices Compose(
        ILedger ledger,
        PinVerifier pins,
        SessionOptions options,
        TimeProvider time,
        ILoggerFactory loggers,
        AtmMetrics metrics,
        TransmissionWindowOptions? transmission = null,
        KeyExchangeOptions? keyExchanges = null,
        bool acceptRequestsWithoutTrack2 = true,
        ThrottledViolations? violations = null,
        bool terminalsWithoutMacOnAnyConnection = true,
        Acquiring.Acquirer? acquirer = null,
        TerminalPresence? presence = null)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        var window = (transmission ?? new TransmissionWindowOptions()).TransmissionTimeWindow;
        violations ??= new ThrottledViolations(new ViolationThrottleOptions(), ledger, metrics, time, loggers.CreateLogger<ThrottledViolations>());
        var routes = HostRoutes.Build(ledger, pins, time, loggers, metrics, window, violations, keyExchanges, acceptRequestsWithoutTrack2, acquirer);
        var dispatcher = new MessageDispatcher(routes, ledger, metrics, time, loggers.CreateLogger<MessageDispatcher>(), terminalsWithoutMacOnAnyConnection);
        return new SessionServices(dispatcher, options, time, metrics, loggers.CreateLogger<TerminalSession>(), presence);
    }
}
