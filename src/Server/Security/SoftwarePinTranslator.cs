using SocketAtm.Protocol.Security;

namespace SocketAtm.Server.Security;

/// <summary>The in-process <see cref="IPinTranslator"/>: Triple DES in the host's memory (<see cref="PinBlock.TryTranslate"/>).</summary>
internal sealed class SoftwarePinTranslator : IPinTranslator
{
    public PinTranslation Translate(
        TerminalPinKeys keys, ReadOnlySpan<byte> pan, ReadOnlySpan<byte> pinBlock, ReadOnlySpan<byte> zonePinKey, Span<byte> destination)
    {
        if (PinBlock.TryTranslate(keys.Current, zonePinKey, pinBlock, pan, destination))
        {
            return PinTranslation.FromCurrentKey;
        }

        if (keys.Pending is { } pending && PinBlock.TryTranslate(pending, zonePinKey, pinBlock, pan, destination))
        {
            return PinTranslation.FromPendingKey;
        }

        return keys.Previous is { } previous && PinBlock.TryTranslate(previous, zonePinKey, pinBlock, pan, destination)
            ? PinTranslation.FromPreviousKey
            : PinTranslation.NotDecodable;
    }
}
