namespace SocketAtm.CrashTest;

/// <summary>What a crash-test run did and whether the books came out exact.</summary>
public sealed record CrashReport(int Seed, int Hosts, int Kills, int DatabaseCrashes, int TerminalsAwayFromHome, int Requests, int Approvals, int Timeouts, int ReversalsAcknowledged, IReadOnlyList<string> Violations)
{
    public bool Holds => Violations.Count == 0;

    public override string ToString() =>
        $"{(Holds ? "PASS" : "FAIL")}: seed {Seed}, {Kills} host kills, {DatabaseCrashes} database crashes, {(Hosts > 1 ? $"{TerminalsAwayFromHome} terminals ending on another host than their own, " : string.Empty)}{Requests} requests, {Approvals} approvals, {Timeouts} timeouts, {ReversalsAcknowledged} reversals acknowledged"
        + (Holds ? "; every approval on the books once, every balance exact, invariants hold" : Environment.NewLine + string.Join(Environment.NewLine, Violations.Select(v => "  - " + v)));
}
