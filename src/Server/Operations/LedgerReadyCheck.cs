using Microsoft.Extensions.Diagnostics.HealthChecks;
using SocketAtm.Server.Hosting;

namespace SocketAtm.Server.Operations;

/// <summary>The ledger is open and its start-up checks passed (recovery, invariants, start-up safety, the PVK loaded).</summary>
internal sealed class LedgerReadyCheck(LedgerStartup ledger) : IHealthCheck
{
    public const string Name = "ledger";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ledger.IsServing
            ? HealthCheckResult.Healthy("open; start-up checks passed")
            : HealthCheckResult.Unhealthy("not open (starting, stopping, or stopped by a storage failure)"));
}
