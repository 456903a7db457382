namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>
/// How a claimed delivery ended (<see cref="IAcquirerLedger.RecordSafResultAsync"/>): the issuer's DE 39, or none (no
/// answer in time, or the message never left the host).
/// </summary>
/// <param name="Claimant">The host that claimed and sent it: only its claim is released by a result other than an acknowledgement.</param>
/// <param name="ResponseCode">DE 39 of the issuer's answer; null when there was none.</param>
/// <param name="Sent">False when nothing left the host (no link): the attempt is not counted.</param>
/// <param name="RetryAtUnixMilliseconds">When to try again if the result asks for a retry (the worker's backoff).</param>
/// <param name="Detail">What happened, for operators (e.g. "timed out"); never sensitive.</param>
internal sealed record SafAttemptResult(string Claimant, string? ResponseCode, bool Sent, long RetryAtUnixMilliseconds, string Detail) : UpstreamStep;
