using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Sessions;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Hosting;

/// <summary>
/// What a host off loopback checks once its ledger is open, before any terminal is accepted: the published demo data
/// is refused (one line naming <c>Ledger:AllowDemoData</c>), and each relaxation the operator chose instead
/// (<c>Ledger:AllowDemoData</c>, <c>Listener:AllowPlaintext</c>, <c>Security:AllowTerminalsWithoutMac</c>) is warned about at
/// every start, as are the terminals without a MAC key that will be answered 58 (<see cref="TerminalsWithoutMacCheck"/>).
/// Settings checks that need no ledger (plaintext, the KEK file, the mTLS bundle) are options validation and fail earlier.
/// </summary>
internal sealed class StartupSafety(
    IOptions<ListenerOptions> listener, IOptions<TlsOptions> tls, IOptions<LedgerOptions> ledger, IOptions<TerminalAuthenticationOptions> terminals, ILogger<StartupSafety> logger)
{
    /// <summary>Demo data is seeded into a new ledger only on loopback, unless the operator allows it off loopback.</summary>
    public static void LimitDemoSeeding(LedgerOptions ledger, ListenerOptions listener)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(listener);
        if (!listener.IsLoopback && !ledger.AllowDemoData)
        {
            ledger.SeedDemoData = false;
        }
    }

    /// <exception cref="LedgerStartupException">Off loopback, the ledger holds demo terminals or the demo PVK and <c>Ledger:AllowDemoData</c> is not set.</exception>
    public async Task CheckAsync(ILedgerAdmin admin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var address = listener.Value;
        if (address.IsLoopback)
        {
            return;
        }

        if (!tls.Value.Enabled && address.AllowPlaintext)
        {
            StartupSafetyLog.PlaintextOffLoopback(logger, address.Address);
        }

        await TerminalsWithoutMacCheck.WarnAsync(admin, address, tls.Value, terminals.Value, logger, cancellationToken);
        var demo = await admin.FindDemoDataAsync(cancellationToken);
        if (!demo.ExposesDemoKeys)
        {
            return;
        }

        if (!ledger.Value.AllowDemoData)
        {
            throw new LedgerStartupException(
                $"the ledger holds the published demo data ({demo}) and Listener:Address {address.Address} is not loopback: anyone on the network could use those keys. Run `admin remove-demo-data`, or set Ledger:AllowDemoData=true for a test network (warned at every start).");
        }

        StartupSafetyLog.DemoDataOffLoopback(logger, demo.ToString(), address.Address);
    }
}
