using SocketAtm.Protocol.Masking;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.Rules;

/// <summary>
/// Whether a repeat (0101, 0201, 0401, 0421) is the request whose decision is stored under its key: the same kind, the same
/// card and the same DE 4. Only then does it get the stored answer. A "repeat" that shares only the key — a terminal's
/// mistake, or a forgery that guessed a key — is not a repeat of that decision, and must not hear "approved" for money it
/// never moved: it is a duplicate (94).
/// </summary>
internal static class RepeatRules
{
    /// <param name="panDigest">The repeat's PAN (DE 2, or track 2's) as cards are found by.</param>
    public static bool IsRepeatOf(IdempotencyRecord stored, LedgerRequest repeat, string panDigest)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(repeat);
        return stored.Kind == repeat.Kind
            && ReversalRules.Match(stored, panDigest, SensitiveData.MaskPan(repeat.Pan), repeat.Amount) == ReversalMatch.Matches;
    }
}
