namespace SocketAtm.Server.Security;

/// <summary>What the <see cref="ViolationThrottle"/> made of one violation.</summary>
/// <param name="Throttled">
/// True when the violation is over the threshold of its terminal or its address: answered at once, not journaled or logged
/// on its own, but counted in its terminal's aggregated row. False: journaled and logged as before.
/// </param>
/// <param name="TerminalThrottlingStarted">True for the first throttled violation of its terminal's window (the one to log).</param>
/// <param name="AddressThrottlingStarted">True for the first throttled violation of its address's window (the one to log).</param>
/// <param name="SummariesPending">True when windows have ended with throttled violations whose summaries are waiting to be taken.</param>
internal readonly record struct ViolationVerdict(bool Throttled, bool TerminalThrottlingStarted, bool AddressThrottlingStarted, bool SummariesPending);
