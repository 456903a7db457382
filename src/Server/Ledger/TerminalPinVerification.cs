using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// Verifies a PIN block under the keys a terminal record holds. The security code knows nothing of the ledger's
/// records; this is where a <see cref="TerminalRecord"/> is turned into the <see cref="TerminalPinKeys"/> it needs.
/// </summary>
internal static class TerminalPinVerification
{
    /// <summary>
    /// The candidates of <paramref name="pinBlock"/> under <paramref name="terminal"/>'s PIN keys valid at
    /// <paramref name="now"/>: the session's verification, and the writer's again when the keys have changed since.
    /// </summary>
    public static PinCandidates Verify(
        this PinVerifier pins, TerminalRecord terminal, ReadOnlySpan<byte> pan, ReadOnlySpan<byte> pinBlock, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pins);
        ArgumentNullException.ThrowIfNull(terminal);
        return pins.Verify(terminal.PinKeysAt(now), pan, pinBlock);
    }
}
