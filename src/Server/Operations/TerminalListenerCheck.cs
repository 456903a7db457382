using Microsoft.Extensions.Diagnostics.HealthChecks;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Operations;

/// <summary>The terminal port is bound and accepting.</summary>
internal sealed class TerminalListenerCheck(TerminalListener listener) : IHealthCheck
{
    public const string Name = "terminal_listener";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(listener.IsAccepting
            ? HealthCheckResult.Healthy("bound and accepting")
            : HealthCheckResult.Unhealthy("not accepting"));
}
