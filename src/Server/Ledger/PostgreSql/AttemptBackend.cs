namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>The server process a batch attempt ran on; its start time tells it from a later process given the same pid.</summary>
internal readonly record struct AttemptBackend(int Pid, DateTime StartedAt);
