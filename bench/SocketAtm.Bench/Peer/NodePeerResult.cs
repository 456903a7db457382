namespace SocketAtm.Bench.Peer;

/// <summary>What the npm peer script reported: its versions, and what one pack and one unpack cost it.</summary>
internal sealed record NodePeerResult(
    string PackageVersion,
    string NodeVersion,
    double PackNanoseconds,
    double UnpackNanoseconds,
    byte[] Frame);
