using SocketAtm.Load.Measurement;

namespace SocketAtm.Load.Reporting;

/// <summary>The same echo load against the bare echo server: the transport ceiling, and the host's share of it.</summary>
/// <param name="ServerCpuCores">CPU seconds the bare server used per measured second.</param>
internal sealed record EchoCeilingResult(int Connections, double Throughput, LatencySummary Latency, double HostRatio, double? ServerCpuCores, double? LoadAverage);
