using System.Collections.Concurrent;
using System.Text;
using SocketAtm.Server.Diagnostics;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// The terminals signed on over one connection. One connection may carry several terminals (a concentrator or an
/// acquiring switch in front of many ATMs); sign-on state is per connection and terminal, so a half-open socket of
/// the same terminal elsewhere neither helps nor hurts this one. Only ids live here: keys and status are read from the
/// ledger each time, so a key exchange on one connection applies to all of the terminal's connections at once.
/// Looked up by the raw DE 41 bytes without allocating.
/// </summary>
internal sealed class SessionTerminals
{
    private readonly ConcurrentDictionary<string, TerminalLogScope> _signedOn = new(StringComparer.Ordinal);
    private readonly Func<string, bool>? _mayServe;
    private readonly Action<bool>? _anySignedOnChanged;
    private readonly TerminalPresence? _presence;
    private readonly string? _remoteAddress;

    // Sign-ons and sign-offs are rare and may complete on different threads: one lock keeps "the first terminal
    // signed on" and "the last signed off" in the order they happened, so the sign-on clock is never left wrong.
    private readonly Lock _changing = new();

    /// <param name="mayServe">
    /// The terminals this connection may speak for — those its TLS client certificate names, with terminal binding on —
    /// which then also count as authenticated by the connection (<see cref="IsBoundTo"/>); null for any, none of them so.
    /// </param>
    /// <param name="anySignedOnChanged">
    /// Told true when the first terminal signs on over the connection and false when the last signs off, under this
    /// object's lock (keep it short; it must not sign terminals on or off).
    /// </param>
    /// <param name="presence">The host's list of signed-on terminals (the operations console's), told of every sign-on and sign-off here.</param>
    /// <param name="remoteAddress">The connection's remote address, for <paramref name="presence"/>.</param>
    public SessionTerminals(
        Func<string, bool>? mayServe = null, Action<bool>? anySignedOnChanged = null, TerminalPresence? presence = null, string? remoteAddress = null)
    {
        _mayServe = mayServe;
        _anySignedOnChanged = anySignedOnChanged;
        _presence = presence;
        _remoteAddress = remoteAddress;
    }

    /// <summary>Number of terminals signed on over this connection.</summary>
    public int Count => _signedOn.Count;

    /// <summary>False when the connection is bound to other terminals than <paramref name="terminalId"/> (answered 58).</summary>
    public bool MayServe(string terminalId) => _mayServe?.Invoke(terminalId) ?? true;

    /// <summary>
    /// True when the connection is bound to the terminals its client certificate names (mutual TLS with terminal binding)
    /// and <paramref name="terminalId"/> is one of them: the connection itself vouches for the terminal.
    /// </summary>
    public bool IsBoundTo(string terminalId) => _mayServe?.Invoke(terminalId) ?? false;

    public void SignOn(string terminalId)
    {
        lock (_changing)
        {
            if (!_signedOn.TryAdd(terminalId, new TerminalLogScope(terminalId)))
            {
                return;
            }

            _presence?.SignedOn(terminalId, _remoteAddress);
            if (_signedOn.Count == 1)
            {
                _anySignedOnChanged?.Invoke(true);
            }
        }
    }

    public void SignOff(string terminalId)
    {
        lock (_changing)
        {
            if (!_signedOn.TryRemove(terminalId, out _))
            {
                return;
            }

            _presence?.SignedOff(terminalId);
            if (_signedOn.IsEmpty)
            {
                _anySignedOnChanged?.Invoke(false);
            }
        }
    }

    /// <summary>The connection has ended: every terminal still signed on over it is signed off with it.</summary>
    public void ConnectionClosed()
    {
        foreach (var terminalId in _signedOn.Keys)
        {
            SignOff(terminalId);
        }
    }

    /// <summary>The logging scope for the terminal named in DE 41; a new one when it is not signed on here, null without DE 41.</summary>
    public TerminalLogScope? LogScopeFor(ReadOnlySpan<byte> terminalIdField) =>
        terminalIdField.IsEmpty ? null
        : TryFind(terminalIdField, out _, out var scope) ? scope
        : new TerminalLogScope(Encoding.ASCII.GetString(terminalIdField).TrimEnd(' '));

    /// <summary>
    /// The id of the signed-on terminal named by <paramref name="terminalIdField"/> (DE 41 as sent, space-padded) and its
    /// logging scope; false when that terminal is not signed on over this connection.
    /// </summary>
    public bool TryFind(ReadOnlySpan<byte> terminalIdField, out string terminalId, out TerminalLogScope logScope)
    {
        Span<char> id = stackalloc char[terminalIdField.Length];
        var length = Encoding.ASCII.GetChars(terminalIdField, id);
        var lookup = _signedOn.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(id[..length].TrimEnd(' '), out terminalId!, out logScope!))
        {
            return true;
        }

        terminalId = string.Empty;
        return false;
    }
}
