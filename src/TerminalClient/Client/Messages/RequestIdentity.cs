namespace SocketAtm.Client.Messages;

/// <summary>The elements that identify one request: DE 7, DE 11, DE 32, DE 41, and the local time for DE 12 / DE 13.</summary>
internal readonly record struct RequestIdentity(string TerminalId, string? AcquirerId, int Stan, string TransmissionDateTime, DateTimeOffset LocalTime);
