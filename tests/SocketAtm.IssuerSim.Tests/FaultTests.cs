using System.Diagnostics;
using System.Net.Sockets;
using SocketAtm.IssuerSim.Faults;
using SocketAtm.IssuerSim.Tests.Support;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim.Tests;

public sealed class FaultTests
{
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task A_dropped_answer_is_never_sent_but_its_debit_is_booked()
    {
        await using var simulator = await TestSimulator.StartAsync(new FaultOptions { DropProbability = 1 });
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);

        await client.SendAsync(Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 4_000));

        Assert.Null(await client.ReceiveAsync(Silence));
        Assert.Equal(IssuerDemoData.Rich.Balance - 4_000, simulator.Balance(IssuerDemoData.Rich.Pan));
        Assert.Equal("00", Assert.Single(simulator.Simulator.Book()).Response);
    }

    [Fact]
    public async Task A_duplicated_answer_arrives_twice()
    {
        await using var simulator = await TestSimulator.StartAsync(new FaultOptions { DuplicateProbability = 1 });
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var request = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 4_000);

        var first = await client.ExchangeAsync(request);
        var second = await client.ReceiveAsync();

        Assert.NotNull(second);
        Assert.Equal(IsoMessageWriter.ToArray(first), IsoMessageWriter.ToArray(second));
        Assert.Equal(IssuerDemoData.Rich.Balance - 4_000, simulator.Balance(IssuerDemoData.Rich.Pan));
    }

    [Fact]
    public async Task A_late_answer_comes_after_the_late_by_delay()
    {
        var lateBy = TimeSpan.FromMilliseconds(600);
        await using var simulator = await TestSimulator.StartAsync(new FaultOptions { LateProbability = 1, LateBy = lateBy });
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var started = Stopwatch.StartNew();

        var answer = await client.ExchangeAsync(Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 4_000));

        Assert.True(started.Elapsed >= lateBy - TimeSpan.FromMilliseconds(20), $"answered after {started.Elapsed}");
        Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode));
    }

    [Fact]
    public async Task A_delayed_answer_does_not_hold_up_the_next_request_on_the_connection()
    {
        await using var simulator = await TestSimulator.StartAsync(new FaultOptions { Delay = TimeSpan.FromMilliseconds(500) });
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var started = Stopwatch.StartNew();

        await client.SendAsync(Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 1_000));
        await client.SendAsync(Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 1_000));
        Assert.NotNull(await client.ReceiveAsync());
        Assert.NotNull(await client.ReceiveAsync());

        // One after the other would take a second.
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(480), TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task With_reordering_the_first_answer_comes_after_the_second()
    {
        await using var simulator = await TestSimulator.StartAsync(new FaultOptions { Reorder = true });
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var first = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 1_000);
        var second = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 2_000);

        await client.SendAsync(first);
        await client.SendAsync(second);
        var answers = new[] { await client.ReceiveAsync(), await client.ReceiveAsync() };

        Assert.Equal([second.GetString(DataElements.Stan), first.GetString(DataElements.Stan)], answers.Select(answer => answer?.GetString(DataElements.Stan)));
    }

    [Fact]
    public async Task With_reordering_a_lone_answer_still_comes_after_the_hold_limit()
    {
        await using var simulator = await TestSimulator.StartAsync(new FaultOptions { Reorder = true, ReorderHoldLimit = TimeSpan.FromMilliseconds(200) });
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);

        var answer = await client.ExchangeAsync(Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 1_000));

        Assert.Equal(ResponseCodes.Approved, answer.GetString(DataElements.ResponseCode));
    }

    [Theory]
    [InlineData(BadAnswerMode.UnknownKey)]
    [InlineData(BadAnswerMode.RequestMti)]
    [InlineData(BadAnswerMode.PanMismatch)]
    [InlineData(BadAnswerMode.AmountMismatch)]
    public async Task A_bad_answer_differs_from_the_good_one_as_its_mode_says_and_the_effect_is_booked(BadAnswerMode mode)
    {
        await using var simulator = await TestSimulator.StartAsync(new FaultOptions { BadAnswers = mode });
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
        var request = Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 4_000);

        var answer = await client.ExchangeAsync(request);

        var (field, expectedSame) = mode switch
        {
            BadAnswerMode.UnknownKey => (DataElements.Stan, false),
            BadAnswerMode.PanMismatch => (DataElements.PrimaryAccountNumber, false),
            BadAnswerMode.AmountMismatch => (DataElements.Amount, false),
            _ => (DataElements.Stan, true),
        };
        Assert.Equal(expectedSame, request.GetString(field) == answer.GetString(field));
        Assert.Equal(mode == BadAnswerMode.RequestMti ? MessageTypes.FinancialRequest : MessageTypes.FinancialResponse, answer.Mti);
        Assert.Equal(IssuerDemoData.Rich.Balance - 4_000, simulator.Balance(IssuerDemoData.Rich.Pan));
    }

    [Fact]
    public async Task An_oversize_bad_answer_is_a_frame_over_the_cap()
    {
        await using var simulator = await TestSimulator.StartAsync(new FaultOptions { BadAnswers = BadAnswerMode.Oversize });
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);

        await client.SendAsync(Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 4_000));
        var frame = await client.ReceiveFrameAsync(IssuerTestClient.AnswerTimeout);

        Assert.Equal(FrameKind.Frame, frame.Kind);
        Assert.True(frame.Payload.Length > 8192, $"{frame.Payload.Length} bytes");
        Assert.Equal(IssuerDemoData.Rich.Balance - 4_000, simulator.Balance(IssuerDemoData.Rich.Pan));
    }

    [Fact]
    public async Task A_garbage_bad_answer_is_a_frame_that_does_not_parse()
    {
        await using var simulator = await TestSimulator.StartAsync(new FaultOptions { BadAnswers = BadAnswerMode.Garbage });
        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);

        await client.SendAsync(Upstream.Withdrawal(IssuerDemoData.Rich.Pan, 4_000));
        var frame = await client.ReceiveFrameAsync(IssuerTestClient.AnswerTimeout);

        Assert.Equal(FrameKind.Frame, frame.Kind);
        Assert.False(IsoMessageParser.TryParse(frame.Payload, new IsoMessage(), out _));
    }

    [Fact]
    public async Task Faults_spare_network_management_so_a_faulty_issuer_still_signs_on()
    {
        await using var simulator = await TestSimulator.StartAsync(new FaultOptions { DropProbability = 1, BadAnswers = BadAnswerMode.Garbage });

        await using var client = await IssuerTestClient.SignedOnAsync(simulator.Port);
    }

    [Fact]
    public async Task Connections_are_refused_for_the_refuse_for_period_then_accepted()
    {
        await using var simulator = await TestSimulator.StartAsync(new FaultOptions { RefuseFor = TimeSpan.FromMilliseconds(700) });

        await Assert.ThrowsAnyAsync<SocketException>(() => IssuerTestClient.ConnectAsync(simulator.Port));
        await using var client = await SignOnWhenAcceptedAsync(simulator.Port);
    }

    [Fact]
    public async Task Reset_every_closes_open_connections_and_refuse_for_then_refuses_new_ones_for_a_while()
    {
        await using var simulator = await TestSimulator.StartAsync(new FaultOptions { ResetEvery = TimeSpan.FromSeconds(1), RefuseFor = TimeSpan.FromMilliseconds(300) });
        await using var client = await SignOnWhenAcceptedAsync(simulator.Port);

        var closed = await client.ReceiveFrameAsync(TimeSpan.FromSeconds(3));

        Assert.Equal(FrameKind.Closed, closed.Kind);
        await Assert.ThrowsAnyAsync<SocketException>(() => IssuerTestClient.ConnectAsync(simulator.Port));
        await using var again = await SignOnWhenAcceptedAsync(simulator.Port);
    }

    /// <summary>Connects and signs on as soon as the simulator accepts, within a few seconds (a loaded machine's timers are late).</summary>
    private static async Task<IssuerTestClient> SignOnWhenAcceptedAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await IssuerTestClient.SignedOnAsync(port);
            }
            catch (Exception exception) when (exception is SocketException or IOException && deadline.Elapsed < TimeSpan.FromSeconds(4))
            {
                await Task.Delay(50);
            }
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_faults()
    {
        var options = new FaultOptions { DropProbability = 0.3, DuplicateProbability = 0.3, LateProbability = 0.3, Seed = 42 };

        var first = new FaultPlan(options);
        var second = new FaultPlan(options);
        var fates = Enumerable.Range(0, 50).Select(_ => first.Next()).ToList();

        Assert.Equal(fates, Enumerable.Range(0, 50).Select(_ => second.Next()));
        Assert.Contains(fates, fate => fate.Drop);
        Assert.Contains(fates, fate => !fate.Drop);
    }
}
