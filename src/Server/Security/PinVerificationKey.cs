namespace SocketAtm.Server.Security;

/// <summary>The issuer's double-length PIN verification key (PVK) and its index (PVKI, 0–9).</summary>
internal sealed record PinVerificationKey(byte[] Key, int Index);
