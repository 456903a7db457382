namespace SocketAtm.Client.Messages;

/// <summary>What a reversal needs of the withdrawal it undoes: DE 90's parts, and the original DE 3 and DE 4.</summary>
internal sealed record OriginalRequest(int Mti, int Stan, string TransmissionDateTime, string? AcquirerId, string ProcessingCode, long Amount);
