using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.Rules;

/// <summary>The result of the checks every card-present request passes through before its own rules.</summary>
/// <param name="DeclineCode">The response code when a check failed, else null.</param>
/// <param name="CardAfter">The card after PIN verification (tries counted or reset), or null when unchanged.</param>
/// <param name="Account">The selected account when every check passed.</param>
/// <param name="SecurityEvent">
/// For a refusal that is a security event (a track 2 that is not the card on file's), its reason for
/// <c>socketatm.security.events</c>; the writer then journals it as one and stores nothing. Null otherwise.
/// </param>
internal sealed record CardCheckResult(string? DeclineCode, CardRecord? CardAfter, AccountRecord? Account, string? SecurityEvent = null);
