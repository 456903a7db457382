namespace SocketAtm.Server.Ledger.Acquiring;

/// <summary>
/// What a <see cref="LedgerRequest"/> says about the upstream side of a request the host acquires for another issuer: the
/// intent to forward it (<see cref="ForwardingIntent"/>, on a terminal's withdrawal or balance inquiry), or what happened
/// to a forwarded request since (<see cref="IssuerAnswer"/>, <see cref="UpstreamGiveUp"/>,
/// <see cref="ReversalAcknowledgement"/>, on a request of kind <see cref="TransactionKind.UpstreamStep"/>). One reference
/// on the request, null for every on-us request, so the hot path carries eight bytes for it and allocates nothing.
/// </summary>
internal abstract record UpstreamStep;
