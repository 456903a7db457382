namespace SocketAtm.Server.Sessions;

/// <summary>One terminal as the console shows it; times are Unix milliseconds.</summary>
internal readonly record struct TerminalPresenceView(string TerminalId, int Connections, long SignedOnAtMs, long LastActivityMs, string? RemoteAddress);
