namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>
/// A host claims the message a forwarded record owes, to send it now: recorded only when it is claimable
/// (<see cref="Model.SafDelivery.IsClaimable"/>), counting the attempt durably before anything leaves the host.
/// </summary>
/// <param name="Claimant">The claiming host's id (unique per process).</param>
/// <param name="LeaseUntilUnixMilliseconds">Until when the claim holds, should the host die before reporting the result.</param>
internal sealed record SafClaim(string Claimant, long LeaseUntilUnixMilliseconds) : UpstreamStep;
