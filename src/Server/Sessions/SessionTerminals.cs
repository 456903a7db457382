using System.Collections.Concurrent;
using System.Text;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// The terminals signed on over one connection. One connection may carry several terminals (a concentrator or an
/// acquiring switch in front of many ATMs); sign-on state is per connection and terminal, so a half-open socket of
/// the same terminal elsewhere neither helps nor hurts this one. Looked up by the raw DE 41 bytes without allocating.
/// </summary>
internal sealed class SessionTerminals
{
    private readonly ConcurrentDictionary<string, SignedOnTerminal> _signedOn = new(StringComparer.Ordinal);

    /// <summary>Number of terminals signed on over this connection.</summary>
    public int Count => _signedOn.Count;

    public void SignOn(TerminalRecord terminal) =>
        _signedOn[terminal.TerminalId] = new SignedOnTerminal(terminal, new TerminalLogScope(terminal.TerminalId));

    public void SignOff(string terminalId) => _signedOn.TryRemove(terminalId, out _);

    /// <summary>The signed-on terminal whose id is <paramref name="terminalIdField"/> (DE 41 as sent, space-padded), or null.</summary>
    public TerminalRecord? Find(ReadOnlySpan<byte> terminalIdField) => Lookup(terminalIdField)?.Terminal;

    /// <summary>The logging scope for the terminal that sent DE 41; a new one when the terminal is not signed on here.</summary>
    public TerminalLogScope? LogScopeFor(ReadOnlySpan<byte> terminalIdField) =>
        terminalIdField.IsEmpty ? null : Lookup(terminalIdField)?.LogScope ?? new TerminalLogScope(Encoding.ASCII.GetString(terminalIdField).TrimEnd(' '));

    private SignedOnTerminal? Lookup(ReadOnlySpan<byte> terminalIdField)
    {
        Span<char> id = stackalloc char[terminalIdField.Length];
        var length = Encoding.ASCII.GetChars(terminalIdField, id);
        var lookup = _signedOn.GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup.TryGetValue(id[..length].TrimEnd(' '), out var entry) ? entry : null;
    }

    private sealed record SignedOnTerminal(TerminalRecord Terminal, TerminalLogScope LogScope);
}
