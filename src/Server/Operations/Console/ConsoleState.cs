using SocketAtm.Server.Sessions;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Operations.Console;

/// <summary>What a frame's tables show besides its point: when the host started, its terminals, routes and figures.</summary>
internal sealed record ConsoleState(
    long StartedAt,
    long OpenConnections,
    int SignedOnTerminals,
    IReadOnlyList<TerminalPresenceView> Terminals,
    IReadOnlyList<RouteLinkStatus> Routes,
    ConsoleFigures Figures);
