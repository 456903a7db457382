namespace SocketAtm.Load.Measurement;

/// <summary>Which side decided an answer: the host's own ledger (on-us), or the card's issuer the host forwarded it to.</summary>
internal enum TrafficClass
{
    OnUs,
    Forwarded,
}
