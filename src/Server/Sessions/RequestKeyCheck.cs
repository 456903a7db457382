using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// Tells which of a terminal's working keys (current, previous within the overlap, pending) a request was made under:
/// by its MAC for a terminal that MACs, by its PIN block for one that does not. The current key is tried first, so the
/// usual request costs one MAC and nothing more.
/// </summary>
internal static class RequestKeyCheck
{
    /// <summary>The key among the terminal's under which the request's MAC is correct, and which one it is; null and <see cref="WorkingKeyUse.None"/> when none.</summary>
    /// <param name="includePending">False once the pending keys have been dealt with: only keys in force count.</param>
    public static WorkingKeyUse VerifyMac(TerminalRecord terminal, IsoMessage request, TimeProvider time, bool includePending, out byte[]? macKey)
    {
        if (RetailMac.Verify(terminal.MacKey, request))
        {
            macKey = terminal.MacKey;
            return WorkingKeyUse.Current;
        }

        if (terminal.PreviousKeysAt(time.GetUtcNow()) is { } previous && RetailMac.Verify(previous.MacKey, request))
        {
            macKey = previous.MacKey;
            return WorkingKeyUse.Previous;
        }

        if (includePending && terminal.PendingKeys is { } pending && RetailMac.Verify(pending.MacKey, request))
        {
            macKey = pending.MacKey;
            return WorkingKeyUse.Pending;
        }

        macKey = null;
        return WorkingKeyUse.None;
    }

    /// <summary>
    /// For a terminal without MACs that has pending keys: true when the request's PIN block decodes to a well-formed PIN
    /// under the pending TPK and under no TPK in force — the terminal has moved to its new keys. (A block decodes under a
    /// wrong key by chance far less than once in a million; one that decodes under a key in force is taken as made under it.)
    /// </summary>
    public static bool PinUnderPendingKey(TerminalRecord terminal, IsoMessage request, TimeProvider time)
    {
        if (terminal.PendingKeys is not { } pending || !request.Has(DataElements.PinBlock))
        {
            return false;
        }

        var pinBlock = request.Get(DataElements.PinBlock);
        var pan = CardFields.Pan(request);
        return !Decodes(terminal.PinKey, pinBlock, pan)
            && !(terminal.PreviousKeysAt(time.GetUtcNow()) is { } previous && Decodes(previous.PinKey, pinBlock, pan))
            && Decodes(pending.PinKey, pinBlock, pan);
    }

    private static bool Decodes(byte[] pinKey, ReadOnlySpan<byte> pinBlock, ReadOnlySpan<byte> pan)
    {
        Span<byte> pin = stackalloc byte[PinBlock.MaxPinLength];
        try
        {
            return PinBlock.TryDecrypt(pinKey, pinBlock, pan, pin, out _);
        }
        finally
        {
            pin.Clear();
        }
    }
}
