using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Security;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Sessions;

/// <summary>
/// Security violations over a real session, throttled: beyond the threshold a bad MAC or a stale original is answered
/// exactly as before, at once, without reaching the ledger; a stale repeat still reaches it (for its stored answer), marked
/// throttled; an unknown terminal is counted per address; a window's throttled violations reach the ledger as one row.
/// </summary>
public sealed class ViolationThrottlingTests
{
    private const string Address = "192.0.2.7";
    private const string DayOld = "1124100000";

    [Fact]
    public async Task Bad_MACs_beyond_the_threshold_are_answered_the_same_63_without_reaching_the_ledger_and_summed_up_as_one_row()
    {
        await using var host = new SessionHarness(remoteAddress: Address, violationThrottle: Options(threshold: 3));
        await SignOnAsync(host, "ATM00001");

        var answers = new List<IsoMessage>();
        for (var stan = 10; stan < 18; stan++)
        {
            await host.SendAsync(DemoRequests.Withdrawal(4000, stan, terminalId: "ATM00001")); // no MAC
            answers.Add((await host.ReceiveAsync())!);
        }

        Assert.All(answers, answer => Assert.Equal(ResponseCodes.SecurityViolation, answer.GetString(39)));
        Assert.All(answers, answer => Assert.False(answer.Has(64) || answer.Has(128))); // never MACed: no MAC oracle
        Assert.All(answers.Skip(1), answer => AssertSameFields(answers[0], answer, DataElements.Stan));
        Assert.Equal(3, host.Ledger.Requests.Count(request => request.IsSecurityViolation));

        host.Time.Advance(TimeSpan.FromMinutes(1));
        await host.SendAsync(DemoRequests.Withdrawal(4000, 30, terminalId: "ATM00001"));
        Assert.Equal(ResponseCodes.SecurityViolation, (await host.ReceiveAsync())!.GetString(39));

        var summary = await SummaryAsync(host);
        Assert.Equal((TransactionKind.SecurityViolation, "ATM00001", string.Empty), (summary.Kind, summary.Key.TerminalId, summary.Pan));
        Assert.Equal("5 violations (mac: 5, stale: 0) from 192.0.2.7 in 00:01:00 from 2026-11-25T10:00:00Z, after 3 journaled one by one", summary.Detail);
        Assert.Equal(4, host.Ledger.Requests.Count(request => request.IsSecurityViolation)); // a new window: journaled again
    }

    [Fact]
    public async Task Stale_originals_beyond_the_threshold_are_answered_63_at_once_and_a_stale_repeat_reaches_the_ledger_marked_throttled()
    {
        var ledger = new FakeLedger { Decide = StaleAware };
        await using var host = new SessionHarness(ledger, remoteAddress: Address, violationThrottle: Options(threshold: 2));
        await SignOnAsync(host, "ATM00009");

        var answers = new List<string?>();
        for (var stan = 10; stan < 14; stan++)
        {
            await host.SendAsync(DemoRequests.Withdrawal(4000, stan, transmissionDateTime: DayOld));
            answers.Add((await host.ReceiveAsync())!.GetString(39));
        }

        await host.SendAsync(DemoRequests.Withdrawal(4000, 20, mti: 201, transmissionDateTime: DayOld));
        var repeat = (await host.ReceiveAsync())!;

        Assert.Equal(Enumerable.Repeat(ResponseCodes.SecurityViolation, 4), answers);
        Assert.Equal(ResponseCodes.SecurityViolation, repeat.GetString(39));
        var stale = host.Ledger.Requests.Where(request => request.IsStale).ToList();
        Assert.Equal([false, false, true], stale.Select(request => request.IsThrottled));
        Assert.Equal(201, stale[^1].Mti);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var summary = Assert.Single(host.Violations.Throttle.TakeEnded(), summary => summary.IsTerminal);
        Assert.Equal((0, 3), (summary.Mac, summary.Stale)); // two originals and the repeat the ledger held no answer for
    }

    [Fact]
    public async Task A_stale_repeat_the_ledger_answers_from_its_store_is_no_violation()
    {
        var ledger = new FakeLedger { Decide = StaleAware };
        await using var host = new SessionHarness(ledger, remoteAddress: Address, violationThrottle: Options(threshold: 1));
        await SignOnAsync(host, "ATM00009");
        await host.SendAsync(DemoRequests.Withdrawal(4000, 10, transmissionDateTime: DayOld));
        await host.ReceiveAsync();

        ledger.Decide = _ => Task.FromResult(new LedgerOutcome { ResponseCode = ResponseCodes.Approved, IsReplay = true, RetrievalReference = "000000000007" });
        await host.SendAsync(DemoRequests.Withdrawal(4000, 11, mti: 201, transmissionDateTime: DayOld));
        var replayed = (await host.ReceiveAsync())!;

        Assert.Equal(ResponseCodes.Approved, replayed.GetString(39));
        Assert.True(host.Ledger.Requests.Last().IsThrottled); // the terminal was throttled: had it been refused, no row of its own
        Assert.Empty(host.Violations.Throttle.TakeAll()); // nothing was throttled: the repeat got its answer
    }

    [Fact]
    public async Task Unknown_terminals_are_counted_per_address_and_throttled_there_without_a_row()
    {
        await using var host = new SessionHarness(remoteAddress: Address, violationThrottle: Options(threshold: 2));
        using var events = new CounterTotals(host.MeterFactory);

        var answers = new List<string?>();
        for (var stan = 10; stan < 15; stan++)
        {
            await host.SendAsync(DemoRequests.Withdrawal(4000, stan, terminalId: "NOSUCH01"));
            answers.Add((await host.ReceiveAsync())!.GetString(39));
        }

        Assert.Equal(Enumerable.Repeat(ResponseCodes.NotPermittedToTerminal, 5), answers);
        Assert.True(host.Violations.Throttle.IsThrottled("ATM00009", Address)); // its address is throttled
        Assert.Empty(host.Ledger.Requests);
        Assert.Equal(2, events.Count("socketatm.security.events/reason=unknown_terminal/throttled=False"));
        Assert.Equal(3, events.Count("socketatm.security.events/reason=unknown_terminal/throttled=True"));
        var summary = Assert.Single(host.Violations.Throttle.TakeAll());
        Assert.Equal((false, Address, 3), (summary.IsTerminal, summary.Key, summary.UnknownTerminal));
    }

    [Fact]
    public async Task Throttled_violations_are_counted_as_security_events_tagged_throttled()
    {
        await using var host = new SessionHarness(remoteAddress: Address, violationThrottle: Options(threshold: 3));
        using var events = new CounterTotals(host.MeterFactory);
        await SignOnAsync(host, "ATM00001");

        for (var stan = 10; stan < 17; stan++)
        {
            await host.SendAsync(DemoRequests.Withdrawal(4000, stan, terminalId: "ATM00001"));
            await host.ReceiveAsync();
        }

        // The three journaled ones are counted by the ledger as it commits them (the fake ledger counts nothing).
        Assert.Equal(4, events.Count("socketatm.security.events/reason=mac/throttled=True"));
    }

    private static ViolationThrottleOptions Options(int threshold) => new() { ViolationThreshold = threshold, ViolationWindow = TimeSpan.FromMinutes(1) };

    /// <summary>As the ledger: a stale request is refused 63 (a security event); anything else approved.</summary>
    private static Task<LedgerOutcome> StaleAware(LedgerRequest request) => Task.FromResult(request.IsStale
        ? new LedgerOutcome { ResponseCode = ResponseCodes.SecurityViolation, SecurityEvent = request.IsThrottled ? null : "stale_transmission" }
        : new LedgerOutcome { ResponseCode = ResponseCodes.Approved, RetrievalReference = "000000000001" });

    private static async Task<LedgerRequest> SummaryAsync(SessionHarness host)
    {
        // Journaled off the request's path, as the ledger takes it.
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (host.Ledger.Requests.FirstOrDefault(request => request.IsViolationSummary) is { } summary)
            {
                return summary;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("No aggregated row reached the ledger.");
    }

    /// <summary>The two answers carry the same elements with the same values (but <paramref name="except"/>, which each echoes from its own request).</summary>
    private static void AssertSameFields(IsoMessage expected, IsoMessage actual, int except)
    {
        Assert.Equal(expected.Mti, actual.Mti);
        for (var field = 2; field <= 128; field++)
        {
            Assert.Equal(expected.Has(field), actual.Has(field));
            if (field != except && expected.Has(field))
            {
                Assert.Equal(expected.GetString(field), actual.GetString(field));
            }
        }
    }

    private static async Task SignOnAsync(SessionHarness host, string terminalId)
    {
        await host.SendAsync(DemoRequests.SignOn(terminalId));
        Assert.Equal(ResponseCodes.Approved, (await host.ReceiveAsync())!.GetString(39));
    }
}
