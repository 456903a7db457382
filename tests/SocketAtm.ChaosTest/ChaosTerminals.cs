using System.Diagnostics;
using System.Globalization;
using SocketAtm.Client;
using SocketAtm.CrashTest;
using SocketAtm.IssuerSim;

namespace SocketAtm.ChaosTest;

/// <summary>
/// The terminals of a chaos run: each on its own connection, homed on one host and failing over to the other, making
/// withdrawals with on-us cards and with the issuer simulator's card, some not fully dispensed (the terminal reverses
/// what did not come out); a lost answer is repeated or reversed by the client library itself, as at a real ATM.
/// </summary>
internal static class ChaosTerminals
{
    public const string OnUsPin = "2468";

    /// <summary>
    /// The issuer simulator's rich card as read off its track 2 (service code 101, PVKI 1, and the PVV of its PIN under the
    /// run's stand-in PVK, so that a stand-in can verify it): the host forwards DE 14 from it.
    /// </summary>
    public static readonly CardData NotOnUsCard = CardData.FromTrack2($"{IssuerDemoData.Rich.Pan}={IssuerDemoData.Rich.Expiry}101" + "1" + StandInPvv() + "000");

    private static string StandInPvv()
    {
        var pvv = new byte[4];
        Server.Security.PinVerificationValue.Compute(
            Convert.FromHexString(ChaosRoute.StandInPvkHex), System.Text.Encoding.ASCII.GetBytes(IssuerDemoData.Rich.Pan), 1, System.Text.Encoding.ASCII.GetBytes(IssuerDemoData.Pin), pvv);
        return System.Text.Encoding.ASCII.GetString(pvv);
    }

    /// <summary>The demo terminals first (ATM00001–08 MAC, 09–10 not), then more registered with demo keys.</summary>
    public static string[] Ids(int count) =>
        [.. Enumerable.Range(1, count).Select(n => "ATM" + n.ToString("D5", CultureInfo.InvariantCulture))];

    /// <summary>A terminal homed on one host that fails over to the others, in turn, when its link is lost.</summary>
    public static Task<AtmTerminalClient> ConnectAsync(string terminalId, IReadOnlyList<HostProcess> hosts, int home, CancellationToken cancellationToken) =>
        AtmTerminalClient.ConnectAsync(
            new TerminalConnectionOptions
            {
                Port = hosts[home].Port,
                FailoverHosts = [.. Enumerable.Range(1, hosts.Count - 1).Select(offset => "127.0.0.1:" + hosts[(home + offset) % hosts.Count].Port.ToString(CultureInfo.InvariantCulture))],
                ReconnectDelay = TimeSpan.FromMilliseconds(100),
                MaxReconnectDelay = TimeSpan.FromSeconds(1),
                EchoInterval = TimeSpan.FromSeconds(5),
            },
            new TerminalClientOptions
            {
                TerminalId = terminalId,
                RequestTimeout = TimeSpan.FromSeconds(3), // past the route's 1 s budget: a forwarded request is answered 91, not lost
                ReversalRetryInterval = TimeSpan.FromMilliseconds(500),
            },
            cancellationToken);

    /// <summary>One terminal's traffic until <paramref name="stop"/>.</summary>
    public static async Task DriveAsync(
        AtmTerminalClient atm, IReadOnlyList<string> onUsPans, NotOnUsPace notOnUs, ChaosExpectations expectations, OnUsLatency latency, Random random, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var onUs = !notOnUs.TryTake();
            var pan = onUs ? onUsPans[random.Next(onUsPans.Count)] : NotOnUsCard.Pan;
            var roll = random.Next(100);
            var amount = random.Next(1, 21) * 100L;
            try
            {
                var window = latency.Window;
                var started = Stopwatch.GetTimestamp();
                var result = onUs
                    ? await atm.WithdrawAsync(pan, OnUsPin, amount, cancellationToken: stop)
                    : await atm.WithdrawAsync(NotOnUsCard, IssuerDemoData.Pin, amount, cancellationToken: stop);
                if (onUs && result is TransactionApproved)
                {
                    latency.Record(window, Stopwatch.GetElapsedTime(started));
                }

                // Not-on-us shortfalls are rarer: each one is a reversal on the one card store-and-forward delivers in order.
                var shortfall = onUs ? 25 : 10;
                var dispensed = roll switch
                {
                    _ when roll < 100 - shortfall => amount,       // cash taken
                    _ when roll < 100 - (shortfall / 2) => amount / 2, // partial dispense
                    _ => 0,                                         // jam: nothing came out
                };
                Task<ReversalResult>? dispenseReversal = null;
                if (result is TransactionApproved approved && dispensed < amount)
                {
                    dispenseReversal = atm.ReportDispenseAsync(approved, dispensed, CancellationToken.None);
                }

                expectations.Withdrawal(pan, onUs, result, dispensed, dispenseReversal);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            // A customer's pace, not a flood: the 2-core machines this runs on must keep their latency readable.
            await Task.Delay(random.Next(20, 80), CancellationToken.None);
        }
    }
}
