using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Server.Upstream;

/// <summary>The values of a reversal advice upstream (0420, or 0421 for every retry) naming the acquirer's original.</summary>
/// <param name="Original">The original request as it was sent upstream (its DE 2, 3, 4, 7, 11, 32, 37, 41, 49 are read).</param>
/// <param name="Reason">DE 39: <see cref="ResponseCodes.ResponseReceivedTooLate"/> when the acquirer gave up, <see cref="ResponseCodes.CustomerCancellation"/> when the terminal asked.</param>
/// <param name="Stan">A new STAN from <see cref="IssuerRoute.NextStan"/> (every retry too).</param>
/// <param name="Now">The time of this message (DE 7).</param>
/// <param name="DispensedAmount">What the ATM did dispense, for a partial reversal (DE 95); null for a full one.</param>
/// <param name="IsRepeat">True for a retry: 0421.</param>
internal sealed record UpstreamReversal(IsoMessage Original, string Reason, int Stan, DateTimeOffset Now, long? DispensedAmount = null, bool IsRepeat = false);
