using System.Collections;

namespace SocketAtm.Server.Diagnostics;

/// <summary>
/// The logging scope that puts <c>TerminalId</c> on every line written while a terminal's request is handled.
/// Created once per signed-on terminal and reused, so scoping costs nothing per message.
/// </summary>
internal sealed class TerminalLogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?> _terminal;

    public TerminalLogScope(string terminalId) => _terminal = new("TerminalId", terminalId);

    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? _terminal : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return _terminal;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "TerminalId:" + _terminal.Value;
}
