namespace SocketAtm.Load.Terminals;

/// <summary>The elements of a request's idempotency key: DE 32, DE 41, DE 11 and DE 7.</summary>
internal readonly record struct RawRequestIdentity(string AcquirerId, string TerminalId, int Stan, string TransmissionDateTime);
