namespace SocketAtm.Server.Operations.Console;

/// <summary>A route's store-and-forward queue: messages owed, those refused (exceptions), and the oldest one's age.</summary>
internal readonly record struct SafFigures(long Depth, long Exceptions, double OldestAgeSeconds);
