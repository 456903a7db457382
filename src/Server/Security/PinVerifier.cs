using System.Buffers.Binary;
using System.Text;
using SocketAtm.Protocol.Security;

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

    /// <summary>The PVKI of the loaded key: the candidates are PVVs under it, which only a card of that PVKI can match.</summary>
    public int KeyIndex => (_key ?? throw new InvalidOperationException("The PIN verification key is not loaded.")).Index;

    /// <summary>
    /// The candidates of <paramref name="pinBlock"/> under the PIN keys a terminal's block may be encrypted under: the
    /// session's verification, and the writer's again when the keys have changed since.
    /// </summary>
    public PinCandidates Verify(TerminalPinKeys keys, ReadOnlySpan<byte> pan, ReadOnlySpan<byte> pinBlock) => new(
        CandidatePvv(keys.Current, pan, pinBlock),
        keys.Previous is null ? null : CandidatePvv(keys.Previous, pan, pinBlock),
        pinBlock.Length == PinBlock.Length ? BinaryPrimitives.ReadUInt64BigEndian(pinBlock) : null,
        keys.Version,
        keys.Pending is null ? null : CandidatePvv(keys.Pending, pan, pinBlock));

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
