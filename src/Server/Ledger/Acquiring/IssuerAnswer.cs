namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>
/// The issuer's trusted answer (0110/0210) to a forwarded request, as the link matched and checked it. An answer that
/// cannot be trusted is not one: the caller gives the request up instead (<see cref="UpstreamGiveUp"/>).
/// </summary>
/// <param name="ResponseCode">DE 39.</param>
/// <param name="AuthorizationId">DE 38; kept only on an approval ("00").</param>
/// <param name="AccountType">The account type DE 54's block reports, or null to keep the request's.</param>
/// <param name="LedgerBalance">DE 54's ledger balance, or null when the answer carried none.</param>
/// <param name="AvailableBalance">DE 54's available balance, or null when the answer carried none.</param>
/// <param name="Currency">DE 54's currency, or null to keep the request's DE 49.</param>
internal sealed record IssuerAnswer(
    string ResponseCode,
    string? AuthorizationId,
    AccountType? AccountType = null,
    long? LedgerBalance = null,
    long? AvailableBalance = null,
    int? Currency = null) : UpstreamStep
{
    public bool IsApproved => ResponseCode == ResponseCodes.Approved;
}
