using SocketAtm.Client;

namespace SocketAtm.TerminalClient.Emulator;

/// <summary>
/// What the welcome screen shows: the terminal, the state of its link, and the host it is connected to (with several
/// hosts, the one it failed over to).
/// </summary>
internal sealed record WelcomeScreen(string TerminalId, LinkState LinkState, bool SignedOn, string Host);
