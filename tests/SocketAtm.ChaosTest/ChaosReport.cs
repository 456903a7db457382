namespace SocketAtm.ChaosTest;

/// <summary>What a chaos run did and every difference it found; <see cref="Holds"/> only when there is none.</summary>
public sealed record ChaosReport(
    int Seed,
    int Hosts,
    int Requests,
    int NotOnUsRequests,
    int NotOnUsApprovals,
    int Timeouts,
    int ReversalsAcknowledged,
    int FaultPhases,
    int Kills,
    long BreakerOpens,
    int RrnsCompared,
    int IssuerReversals,
    int StandIns,
    string Latency,
    IReadOnlyList<string> Violations)
{
    public bool Holds => Violations.Count == 0;

    public override string ToString() =>
        $"{(Holds ? "PASS" : "FAIL")}: seed {Seed}, {Hosts} host(s), {Requests} withdrawals ({NotOnUsRequests} not-on-us, {NotOnUsApprovals} of them approved), "
        + $"{Timeouts} terminal timeouts, {ReversalsAcknowledged} terminal reversals acknowledged; {FaultPhases} fault phases, {Kills} host kills, "
        + $"breaker opened {BreakerOpens} times in the blackout; {RrnsCompared} RRNs compared, {IssuerReversals} reversals at the issuer, "
        + $"{(StandIns == 0 ? "no stand-in approvals" : $"{StandIns} stand-in approvals")}; {Latency}"
        + (Holds ? "; every check holds" : Environment.NewLine + string.Join(Environment.NewLine, Violations.Select(v => "  - " + v)));
}
