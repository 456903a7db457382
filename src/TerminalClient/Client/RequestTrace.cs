namespace SocketAtm.Client;

/// <summary>
/// What identifies a request on the wire: its MTI, STAN (DE 11) and transmission date and time (DE 7, MMDDhhmmss GMT).
/// With DE 32 and DE 41 these form the host's idempotency key.
/// </summary>
public sealed record RequestTrace(int Mti, int Stan, string TransmissionDateTime);
