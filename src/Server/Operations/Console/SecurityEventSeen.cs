namespace SocketAtm.Server.Operations.Console;

/// <summary>Security events of one reason counted in the interval ending <paramref name="At"/> (Unix milliseconds).</summary>
internal readonly record struct SecurityEventSeen(long At, string Reason, long Count);
