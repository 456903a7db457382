namespace SocketAtm.Load.Measurement;

/// <summary>What was seen of the host process and the machine at one sample.</summary>
internal readonly record struct ProcessSample(long? ResidentBytes, double? LoadAverage);
