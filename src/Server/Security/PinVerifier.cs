using System.Buffers.Binary;
using System.Text;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Security;

/// <summary>
/// Turns an encrypted PIN block into the PVV the entered PIN would have, so the PIN itself never leaves this
/// method: it is decrypted into a stack buffer, used once and wiped. The ledger compares the candidate with the
/// card's stored PVV and keeps the try counter.
/// </summary>
internal sealed class PinVerifier
{
    private PinVerificationKey? _key;

    /// <summary>Installs the issuer's PIN verification key; done once at start, before terminals are accepted.</summary>
    public void Load(PinVerificationKey key) => _key = key;

    /// <summary>
    /// The candidates of <paramref name="pinBlock"/> under <paramref name="terminal"/>'s PIN keys valid at
    /// <paramref name="now"/>: the session's verification, and the writer's again when the keys have changed since.
    /// </summary>
    public PinCandidates Verify(TerminalRecord terminal, ReadOnlySpan<byte> pan, ReadOnlySpan<byte> pinBlock, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        var previousKeys = terminal.PreviousKeysAt(now);
        return new PinCandidates(
            CandidatePvv(terminal.PinKey, pan, pinBlock),
            previousKeys is null ? null : CandidatePvv(previousKeys.PinKey, pan, pinBlock),
            pinBlock.Length == PinBlock.Length ? BinaryPrimitives.ReadUInt64BigEndian(pinBlock) : null,
            terminal.KeyVersion);
    }

    /// <summary>The candidate PVV (4 digits) under <paramref name="pinKey"/>, or null when the block does not decrypt to a well-formed PIN.</summary>
    public string? CandidatePvv(ReadOnlySpan<byte> pinKey, ReadOnlySpan<byte> pan, ReadOnlySpan<byte> pinBlock)
    {
        var key = _key ?? throw new InvalidOperationException("The PIN verification key is not loaded.");
        Span<byte> pin = stackalloc byte[PinBlock.MaxPinLength];
        try
        {
            if (pinBlock.Length != PinBlock.Length || !PinBlock.TryDecrypt(pinKey, pinBlock, pan, pin, out var pinLength))
            {
                return null;
            }

            Span<byte> pvv = stackalloc byte[4];
            PinVerificationValue.Compute(key.Key, pan, key.Index, pin[..pinLength], pvv);
            return Encoding.ASCII.GetString(pvv);
        }
        finally
        {
            pin.Clear();
        }
    }
}
