using System.Text;
using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Server.Security;

/// <summary>
/// Verifies, for a route's stand-in, the PIN of a card of another issuer the Visa PVV way, under the PVK that issuer
/// agreed to share: the card's PVKI and PVV are read from its track 2 (DE 35: after the service code, 1 PVKI digit and
/// 4 PVV digits), and the PIN block is decrypted under the terminal's PIN keys exactly as for an on-us card
/// (<see cref="PinVerifier"/>: current, pending before first use, previous during the overlap). Built once per route at
/// start; a check reads no file and writes nothing, so it runs on the request path before the ledger's writer.
/// </summary>
/// <remarks>The PIN exists only inside <see cref="PinVerifier"/>, in a stack buffer it wipes; nothing of the track or the block is kept.</remarks>
internal sealed class StandInPinCheck
{
    private const int PvvLength = 4;

    private readonly PinVerifier? _verifier;

    /// <param name="issuerKey">The issuer's PVK with its PVKI; null when the route configures none (every check is then unverifiable).</param>
    public StandInPinCheck(PinVerificationKey? issuerKey)
    {
        if (issuerKey is not null)
        {
            _verifier = new PinVerifier();
            _verifier.Load(issuerKey);
        }
    }

    /// <summary>False when the route configures no PVK: stand-in then declines every request 91.</summary>
    public bool HasKey => _verifier is not null;

    /// <param name="keys">The terminal's PIN keys now (<c>TerminalRecord.PinKeysAt</c>).</param>
    /// <param name="pan">The request's PAN, as the PIN block was formatted with: the track must be this card's.</param>
    /// <param name="track2">DE 35 as received; empty when the request carried none.</param>
    /// <param name="pinBlock">DE 52 as received; empty when the request carried none.</param>
    public StandInPinResult Check(TerminalPinKeys keys, ReadOnlySpan<byte> pan, ReadOnlySpan<byte> track2, ReadOnlySpan<byte> pinBlock)
    {
        if (_verifier is null || pinBlock.Length != PinBlock.Length || !Track2.TryParse(track2, out var track) || !track.Pan.SequenceEqual(pan))
        {
            return StandInPinResult.Unverifiable;
        }

        // The card's PVV was computed under the PVK of its PVKI: under another key no PIN would ever match, and that
        // would be the configuration's fault, not the cardholder's.
        var discretionary = track.Discretionary;
        if (discretionary.Length < 1 + PvvLength || discretionary[0] - '0' != _verifier.KeyIndex)
        {
            return StandInPinResult.Unverifiable;
        }

        var cardPvv = discretionary.Slice(1, PvvLength);
        var candidates = _verifier.Verify(keys, pan, pinBlock);

        // As the writer takes them (LedgerRequest.WithPin): the pending key's only when the current key's does not decode.
        var current = Matches(candidates.CandidatePvv ?? candidates.PendingKeyCandidatePvv, cardPvv);
        var previous = Matches(candidates.PreviousKeyCandidatePvv, cardPvv);
        return current | previous ? StandInPinResult.Verified : StandInPinResult.WrongPin;
    }

    private static bool Matches(string? candidatePvv, ReadOnlySpan<byte> cardPvv)
    {
        if (candidatePvv is null || candidatePvv.Length != PvvLength)
        {
            return false;
        }

        Span<byte> candidate = stackalloc byte[PvvLength];
        Encoding.ASCII.GetBytes(candidatePvv, candidate);
        return PinVerificationValue.Matches(candidate, cardPvv);
    }
}
