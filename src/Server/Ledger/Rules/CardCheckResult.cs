using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Ledger.Rules;

/// <summary>The result of the checks every card-present request passes through before its own rules.</summary>
/// <param name="DeclineCode">The response code when a check failed, else null.</param>
/// <param name="CardAfter">The card after PIN verification (tries counted or reset), or null when unchanged.</param>
/// <param name="Account">The selected account when every check passed.</param>
internal sealed record CardCheckResult(string? DeclineCode, CardRecord? CardAfter, AccountRecord? Account);
