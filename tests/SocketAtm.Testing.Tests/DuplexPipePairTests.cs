using System.Buffers;
using System.IO.Pipelines;

namespace SocketAtm.Testing.Tests;

/// <summary>The in-memory connection the session harnesses and the whole-path benchmarks run a session over.</summary>
public sealed class DuplexPipePairTests
{
    [Fact]
    public async Task What_the_terminal_writes_the_host_reads_and_the_other_way_round()
    {
        var pair = new DuplexPipePair();

        await pair.Terminal.Output.WriteAsync(new byte[] { 1, 2, 3 });
        var atHost = await pair.Host.Input.ReadAsync();
        Assert.Equal(new byte[] { 1, 2, 3 }, atHost.Buffer.ToArray());
        pair.Host.Input.AdvanceTo(atHost.Buffer.End);

        await pair.Host.Output.WriteAsync(new byte[] { 4, 5 });
        var atTerminal = await pair.Terminal.Input.ReadAsync();
        Assert.Equal(new byte[] { 4, 5 }, atTerminal.Buffer.ToArray());
    }

    [Fact]
    public async Task The_terminal_completing_its_output_is_the_end_of_the_hosts_input()
    {
        var pair = new DuplexPipePair();

        await pair.Terminal.Output.CompleteAsync();
        var atHost = await pair.Host.Input.ReadAsync();

        Assert.True(atHost.IsCompleted);
        Assert.True(atHost.Buffer.IsEmpty);
    }

    [Fact]
    public async Task The_host_bound_pipe_resumes_the_hosts_reads_on_the_scheduler_given_for_it()
    {
        var scheduler = new CountingScheduler();
        var pair = new DuplexPipePair(toHost: new PipeOptions(readerScheduler: scheduler, useSynchronizationContext: false));

        var read = pair.Host.Input.ReadAsync().AsTask(); // waiting before the write, so its continuation is scheduled
        await pair.Terminal.Output.WriteAsync(new byte[] { 1 });
        await read;

        Assert.Equal(1, scheduler.Scheduled);
    }

    /// <summary>Runs each continuation at once, counting them.</summary>
    private sealed class CountingScheduler : PipeScheduler
    {
        public int Scheduled { get; private set; }

        public override void Schedule(Action<object?> action, object? state)
        {
            Scheduled++;
            action(state);
        }
    }
}
