using SocketAtm.Client;

namespace SocketAtm.TerminalClient.Emulator;

/// <summary>What the welcome screen shows: the terminal and the state of its link.</summary>
internal sealed record WelcomeScreen(string TerminalId, LinkState LinkState, bool SignedOn);
