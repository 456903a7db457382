using SocketAtm.Load.Measurement;

namespace SocketAtm.Load.Reporting;

/// <summary>The same echo load against the bare echo server: the transport ceiling, and the host's share of it.</summary>
internal sealed record EchoCeilingResult(int Connections, double Throughput, LatencySummary Latency, double HostRatio, double? LoadAverage);
