using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SocketAtm.Fuzz;
using SocketAtm.Server.Tests.Sessions;
using Xunit.Abstractions;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Tests.Transport;

/// <summary>
/// Hostile input through real sessions: at least 100,000 mutated and random frames, reconnecting whenever the host
/// closes. Runs alone (its collection is not parallel) so the memory it measures is its own.
/// </summary>
[Collection(nameof(MeasuredAlone))]
public sealed class MutatedFrameTests(ITestOutputHelper output)
{
    private const int FramesToFeed = 100_000;
    private const int Seed = 20261125;

    /// <summary>Memory the run may add, measured after forced collections: pools and caches, not per-frame leftovers.</summary>
    private const long MemoryGrowthBound = 32L * 1024 * 1024;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_hundred_thousand_mutated_frames_never_fault_or_hang_a_session_keep_memory_bounded_and_echo_is_still_answered()
    {
        var logs = new RecordingLoggerProvider(
            SeedFrames.DemoPan,
            Convert.ToHexString(FakeLedger.DemoPinKey),
            Convert.ToHexString(FakeLedger.DemoMacKey),
            Convert.ToHexString(FakeLedger.DemoMasterKey));
        await using var sessions = new SessionFactory(new ListenerOptions(), logs);
        var mutator = new FrameMutator(Seed, SeedFrames.All(), sessions.Options.MaxFrameLength);
        var random = new Random(Seed);
        var stats = new RunStats();

        // Warm up pools and JIT before the memory baseline.
        await FeedAsync(sessions, mutator, random, 2_000, new RunStats());
        logs.Reset();
        var baseline = MeasureMemory();
        var stopwatch = Stopwatch.StartNew();

        await FeedAsync(sessions, mutator, random, FramesToFeed, stats);

        stopwatch.Stop();
        var growth = MeasureMemory() - baseline;
        await using (var last = sessions.Open())
        {
            await last.WriteAsync(SeedFrames.SignOn("ATM00009", 1));
            Assert.Equal("00", await last.EchoAsync("ATM00009", 999_999, Bound));
        }

        output.WriteLine(
            $"{stats.Frames} frames in {stopwatch.Elapsed.TotalSeconds:F1} s over {stats.Sessions} sessions: {stats.ClosedByHost} closed by the host, " +
            $"{stats.TruncatedByTerminal} ended by the terminal inside a frame, {stats.PartialTimeouts} by the partial-frame timeout, " +
            $"{stats.EchoesAnswered} echo probes answered, {stats.Responses} responses; memory growth {growth / 1024} KiB; " +
            $"{logs.CountAtOrAbove(LogLevel.Warning)} warnings logged");
        Assert.True(stats.Frames >= FramesToFeed);

        // Each connection ended for the reason the model gave, and the host logged that reason once.
        Assert.Equal(stats.ClosedByHost, logs.CountOf(5) + logs.CountOf(7)); // frame too large, unreadable MTI
        Assert.Equal(stats.PartialTimeouts, logs.CountOf(9));
        Assert.Equal(stats.TruncatedByTerminal, logs.CountOf(10));
        Assert.Equal(0, logs.CountOf(8)); // no idle timeout
        Assert.Empty(logs.Errors);   // no SessionFailed, no HandlerFailed: nothing escaped
        Assert.Empty(logs.Leaks);
        Assert.Equal(0, stats.UnparsableResponses);
        Assert.True(growth < MemoryGrowthBound, $"memory grew by {growth} bytes");

        // The run met every way of ending a connection, so each was checked for a hang.
        Assert.True(stats.ClosedByHost > 0 && stats.TruncatedByTerminal > 0 && stats.PartialTimeouts > 0 && stats.EchoesAnswered > 0);
    }

    [Fact]
    public void The_host_stream_model_agrees_with_the_protocol_on_what_closes_a_connection()
    {
        var model = new HostStreamModel(8192);
        Assert.Equal(1, model.Feed(SeedFrames.Echo("ATM00009", 1)));
        Assert.Equal(0, model.Feed([0x00]));
        Assert.Equal(1, model.PendingBytes);
        Assert.Equal(1, model.Feed([0x00])); // the keep-alive completes
        Assert.False(model.Closed);
        Assert.Equal(1, model.Feed([0x00, 0x05, (byte)'0', (byte)'8', (byte)'X', (byte)'0', 0x00]));
        Assert.True(model.Closed);

        var tooLong = new HostStreamModel(8192);
        tooLong.Feed([0x20, 0x01]);
        Assert.True(tooLong.Closed);
    }

    private static long MeasureMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>
    /// Opens sessions one after another and feeds each batches of mutated frames after a valid sign-on of a plain and a
    /// MAC terminal, checking after each batch what the model says must happen: the session closes (a closing frame),
    /// ends when the terminal hangs up or the partial-frame timeout passes (a frame left incomplete), or answers an echo.
    /// </summary>
    private static async Task FeedAsync(SessionFactory sessions, FrameMutator mutator, Random random, int frames, RunStats stats)
    {
        var options = sessions.Options;
        var probeStan = 900_000;
        var batch = new ArrayBufferWriter<byte>();
        while (stats.Frames < frames)
        {
            var session = sessions.Open();
            stats.Sessions++;
            try
            {
                var model = new HostStreamModel(options.MaxFrameLength);
                byte[] signOns = [.. SeedFrames.SignOn("ATM00009", 1), .. SeedFrames.SignOn("ATM00001", 2)];
                model.Feed(signOns);
                await session.WriteAsync(signOns);

                var open = true;
                for (var round = 0; open && round < 16 && stats.Frames < frames; round++)
                {
                    batch.ResetWrittenCount();
                    for (var count = 1 + random.Next(24); count > 0; count--)
                    {
                        batch.Write(mutator.Next());
                    }

                    stats.Frames += model.Feed(batch.WrittenSpan);
                    await session.WriteAsync(batch.WrittenMemory.ToArray(), random);
                    if (model.Closed)
                    {
                        Assert.True(await session.EndsWithinAsync(Bound), "the host did not close after a closing frame");
                        stats.ClosedByHost++;
                        open = false;
                    }
                    else if (model.PendingBytes > 0)
                    {
                        if (random.Next(2) == 0)
                        {
                            await session.CloseTerminalSideAsync();
                            Assert.True(await session.EndsWithinAsync(Bound), "the session did not end when the terminal closed inside a frame");
                            stats.TruncatedByTerminal++;
                        }
                        else
                        {
                            Assert.True(await EndsByPartialFrameTimeoutAsync(sessions, session), "the partial-frame timeout did not end the session");
                            stats.PartialTimeouts++;
                        }

                        open = false;
                    }
                    else
                    {
                        var stan = probeStan++;
                        Assert.Equal("00", await session.EchoAsync("ATM00009", stan, Bound));
                        stats.EchoesAnswered++;
                    }
                }

                if (open)
                {
                    await session.CloseTerminalSideAsync();
                    Assert.True(await session.EndsWithinAsync(Bound), "the session did not end when the terminal closed");
                }
            }
            finally
            {
                await session.DisposeAsync(); // the responses are all read once it returns
            }

            stats.Responses += session.Responses;
            stats.UnparsableResponses += session.UnparsableResponses;
            sessions.Ledger.Requests.Clear();
        }
    }

    /// <summary>
    /// Moves the fake clock past the partial-frame timeout until the session ends (the session may not have read the
    /// partial frame yet when the clock first moves, so it moves again), within a wall-clock bound.
    /// </summary>
    private static async Task<bool> EndsByPartialFrameTimeoutAsync(SessionFactory sessions, LiveSession session)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Bound)
        {
            sessions.Time.Advance(sessions.Options.PartialFrameTimeout + TimeSpan.FromSeconds(1));
            if (await session.EndsWithinAsync(TimeSpan.FromMilliseconds(1)))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class RunStats
    {
        public int Frames { get; set; }

        public int Sessions { get; set; }

        public int ClosedByHost { get; set; }

        public int TruncatedByTerminal { get; set; }

        public int PartialTimeouts { get; set; }

        public int EchoesAnswered { get; set; }

        public long Responses { get; set; }

        public int UnparsableResponses { get; set; }
    }
}
