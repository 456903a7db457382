using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SocketAtm.Server.Handlers;

namespace SocketAtm.Server.Hosting;

/// <summary>
/// Runs the throttle of security violations with the host: its timer, which journals the windows that ended while no
/// violation came, starts once the ledger is open; at a stop, once the listener has drained and before the ledger closes,
/// every window still holding throttled violations is journaled, so that a restart loses none of them.
/// </summary>
internal sealed class ViolationSummaries(IServiceProvider services) : IHostedService
{
    private ThrottledViolations? _violations;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolved now, not in the constructor: it journals through the ledger, which opens in an earlier hosted service.
        _violations = services.GetRequiredService<ThrottledViolations>();
        _violations.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _violations?.StopAsync(cancellationToken) ?? Task.CompletedTask;
}
