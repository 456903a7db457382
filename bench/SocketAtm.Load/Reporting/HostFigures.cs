namespace SocketAtm.Load.Reporting;

/// <summary>One started host's share of a run.</summary>
/// <param name="Number">The host's number, from 1 (terminal i went to host i mod hosts + 1).</param>
/// <param name="Port">Where it listened.</param>
/// <param name="ResidentBytes">Its resident memory when the load ended (VmRSS).</param>
/// <param name="PeakResidentBytes">Its peak resident memory over its life (VmHWM).</param>
/// <param name="CpuCores">CPU seconds it used per measured second.</param>
internal sealed record HostFigures(int Number, int Port, long? ResidentBytes, long? PeakResidentBytes, double? CpuCores);
