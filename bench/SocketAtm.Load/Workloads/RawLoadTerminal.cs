using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using SocketAtm.Fixtures;
using SocketAtm.Load.Correctness;
using SocketAtm.Load.Terminals;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Load.Workloads;

/// <summary>
/// A terminal driven by hand over a <see cref="RawLink"/>: echo tests (against the host, or the bare echo server for the
/// transport ceiling), and in the mixed workload withdrawals followed by an 0201 repeat or a duplicate 0200.
/// </summary>
internal sealed class RawLoadTerminal : LoadTerminal
{
    private static readonly ConcurrentQueue<IsoMessage> Messages = new();
    private static readonly byte[] DemoPinKey = DemoKeys.PinKey;
    private static readonly byte[] DemoMacKey = DemoKeys.MacKey;

    private readonly RawLink _link;
    private readonly WorkloadContext _context;
    private readonly bool _bare;
    private int _stan = Random.Shared.Next(1, 900_000);
    private int _scenario;

    private RawLoadTerminal(string terminalId, RawLink link, WorkloadContext context, bool bare)
    {
        TerminalId = terminalId;
        _link = link;
        _context = context;
        _bare = bare;
    }

    public override string TerminalId { get; }

    /// <summary>
    /// Connects from <paramref name="source"/> (null: the system's choice), and signs on unless <paramref name="bare"/>
    /// (the echo ceiling's server knows no protocol).
    /// </summary>
    /// <exception cref="InvalidOperationException">The host refused the sign-on.</exception>
    /// <exception cref="ClosedAtAcceptException">The host closed the connection instead of answering the sign-on.</exception>
    public static async Task<RawLoadTerminal> ConnectAsync(
        string terminalId, HostEndPoint host, IPAddress? source, WorkloadContext context, bool bare, CancellationToken cancellationToken)
    {
        var link = await RawLink.ConnectAsync(host.Host, host.Port, source, TimeSpan.FromSeconds(30), context.Tls, cancellationToken);
        var terminal = new RawLoadTerminal(terminalId, link, context, bare);
        if (!bare)
        {
            var signOn = await terminal.NetworkManagementAsync(RawMessages.SignOn);
            if (signOn.ResponseCode != "00")
            {
                // Unanswered because the link ended (the host closed it, or the write found it closed): a cap at accept.
                var closedByHost = !signOn.IsAnswered && await link.EndsWithinAsync(TimeSpan.FromSeconds(1));
                var from = link.LocalAddress;
                await link.DisposeAsync();
                throw closedByHost
                    ? new ClosedAtAcceptException(host, from)
                    : new InvalidOperationException($"Sign-on of {terminalId} answered {signOn.ResponseCode ?? "nothing"}.");
            }
        }

        return terminal;
    }

    public override Task RunOnceAsync(long intendedStart) => _context.Workload switch
    {
        Workload.Echo => EchoAsync(intendedStart),
        Workload.Mixed => (Interlocked.Increment(ref _scenario) % 2 == 0) ? RepeatAsync(intendedStart) : DuplicateAsync(intendedStart),
        _ => throw new InvalidOperationException($"The raw driver does not run the {_context.Workload} workload."),
    };

    public override ValueTask DisposeAsync() => _link.DisposeAsync();

    private static IsoMessage Rent() => Messages.TryDequeue(out var message) ? message : new IsoMessage();

    private static void Return(IsoMessage message)
    {
        message.Clear();
        Messages.Enqueue(message);
    }

    private int NextStan()
    {
        while (true)
        {
            var current = Volatile.Read(ref _stan);
            var next = current >= 999_999 ? 1 : current + 1;
            if (Interlocked.CompareExchange(ref _stan, next, current) == current)
            {
                return next;
            }
        }
    }

    private async Task<RawAnswer> NetworkManagementAsync(int code)
    {
        var stan = NextStan();
        var message = Rent();
        try
        {
            RawMessages.NetworkManagement(message, TerminalId, stan, RawMessages.TransmissionDateTime(DateTimeOffset.UtcNow), code);
            // A MAC terminal MACs its network management too (PROTOCOL.md §6.1), or the host answers 63.
            return await _link.ExchangeAsync(message, stan, _context.Fleet.Settings.UseMac ? DemoMacKey : null, _context.RequestTimeout);
        }
        finally
        {
            Return(message);
        }
    }

    private async Task EchoAsync(long intendedStart)
    {
        var answer = await NetworkManagementAsync(RawMessages.Echo);
        if (!answer.IsAnswered)
        {
            _context.Statistics.RecordTimeout("echo");
            return;
        }

        // The bare server sends the request back as it came: no DE 39, and that is its right answer.
        var code = _bare ? "echoed" : answer.ResponseCode ?? "--";
        _context.Statistics.RecordAnswer("echo", code, intendedStart);
        if (!_bare && code != "00")
        {
            _context.Statistics.RecordError("echo answered " + code);
        }
    }

    private async Task<RawAnswer> WithdrawalAsync(int mti, RawRequestIdentity identity, int card, long amount)
    {
        var message = Rent();
        try
        {
            RawMessages.Withdrawal(message, mti, identity, _context.Fleet.Pans[card], _context.Fleet.Pin, amount, DemoPinKey);
            return await _link.ExchangeAsync(message, identity.Stan, _context.Fleet.Settings.UseMac ? DemoMacKey : null, _context.RequestTimeout);
        }
        finally
        {
            Return(message);
        }
    }

    /// <summary>An 0200, then the same request again as an 0201, as if the first answer had been lost: same decision, one debit.</summary>
    private Task RepeatAsync(long intendedStart) => OriginalThenAgainAsync(intendedStart, againMti: 201);

    /// <summary>An 0200, then a new 0200 with the same key: 94, nothing applied.</summary>
    private Task DuplicateAsync(long intendedStart) => OriginalThenAgainAsync(intendedStart, againMti: 200);

    /// <summary>
    /// No 0210 came: repeats (0201) recover the decision, whatever became of the original (PROTOCOL.md §8). A withdrawal
    /// whose decision stays unknown fails the correctness check.
    /// </summary>
    private async Task RecoverAsync(RawRequestIdentity identity, string key, int card, long amount)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var repeat = await WithdrawalAsync(201, identity, card, amount);
            if (repeat.IsAnswered && repeat.ResponseCode != "91")
            {
                _context.Statistics.Count("withdrawal recovered by 0201");
                if (repeat.ResponseCode == "00")
                {
                    _context.Expected.Approved(card, amount);
                }

                _context.Expected.Expect(key, decided: !WorkloadContext.IsUnrecorded(repeat.ResponseCode ?? "--"));
                return;
            }
        }

        _context.Expected.Expect(key);
        _context.Expected.Unresolve();
        _context.Statistics.RecordError("withdrawal decision unknown after three 0201s");
    }

    private async Task OriginalThenAgainAsync(long intendedStart, int againMti)
    {
        var card = _context.PickCard();
        var amount = WorkloadContext.PickAmount();
        var identity = new RawRequestIdentity(Fleet.Fleet.AcquirerId, TerminalId, NextStan(), RawMessages.TransmissionDateTime(DateTimeOffset.UtcNow));
        var key = ExpectedLedger.KeyOf(TerminalId, identity.Stan, identity.TransmissionDateTime);
        var original = await WithdrawalAsync(200, identity, card, amount);
        if (!original.IsAnswered)
        {
            _context.Statistics.RecordTimeout("withdrawal");
            await RecoverAsync(identity, key, card, amount);
            return;
        }

        var code = original.ResponseCode ?? "--";
        _context.Statistics.RecordAnswer("withdrawal", code, intendedStart);
        var stored = !WorkloadContext.IsUnrecorded(code);
        if (code == "00")
        {
            _context.Expected.Approved(card, amount);
        }
        else if (WorkloadContext.IsUnexpectedDecline(code))
        {
            _context.Statistics.RecordError("withdrawal answered " + code);
        }

        var started = Stopwatch.GetTimestamp();
        var again = await WithdrawalAsync(againMti, identity, card, amount);
        var kind = againMti == 201 ? "repeat 0201" : "duplicate 0200";
        if (!again.IsAnswered)
        {
            _context.Statistics.RecordTimeout(kind);
            _context.Expected.Expect(key, decided: stored);
            return;
        }

        _context.Statistics.RecordAnswer(kind, again.ResponseCode ?? "--", started);
        if (!stored)
        {
            // Nothing was stored for the original (e.g. 91): the host takes the second request as a new original.
            if (again.ResponseCode == "00")
            {
                _context.Expected.Approved(card, amount);
            }

            _context.Expected.Expect(key, decided: !WorkloadContext.IsUnrecorded(again.ResponseCode ?? "--"));
            return;
        }

        if (againMti == 201)
        {
            _context.Expected.Expect(key, decided: true, replays: 1);
            if (!again.SameDecisionAs(original))
            {
                _context.Statistics.RecordError("repeat 0201 answered differently from its original");
            }
        }
        else
        {
            _context.Expected.Expect(key, decided: true, duplicates: 1);
            if (again.ResponseCode != "94")
            {
                _context.Statistics.RecordError("duplicate 0200 answered " + again.ResponseCode);
            }
        }
    }
}
