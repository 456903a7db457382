using System.Diagnostics;
using SocketAtm.Load.Fleet;

namespace SocketAtm.Load.Tests;

/// <summary>
/// A started host closes connections from one address beyond Listener:MaxConnectionsPerAddress at accept. The harness
/// spreads a larger fleet over loopback source addresses, so the cap stays as it is and every terminal is served; kept to
/// one address, it says in one line that the cap refused it, and which setting that is.
/// </summary>
public sealed class PerAddressCapTests : IDisposable
{
    private const string SmallPerAddressCap = "--Listener:MaxConnectionsPerAddress=20";

    private readonly string _output = Path.Combine(Path.GetTempPath(), "socketatm-load-cap-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_fleet_larger_than_the_hosts_per_address_cap_is_served_from_several_loopback_addresses()
    {
        var settings = Settings(spreadSourceAddresses: true);
        using var log = new StringWriter();

        var report = await new LoadRun(settings, log).RunAsync(CancellationToken.None);

        Assert.True(report.Correctness.Holds, string.Join(Environment.NewLine, report.Correctness.Failures) + Environment.NewLine + log);
        Assert.Equal(0, report.Errors);
        Assert.Equal(50, report.Terminals);
        Assert.Equal(50, report.Connections);
        Assert.Contains("come from 3 loopback addresses, 127.0.0.1 to 127.0.0.3: the host takes at most 20 per address", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("50 terminals signed on over 50 connections", log.ToString(), StringComparison.Ordinal);
        Assert.Contains(report.Answers.Keys, kind => kind.StartsWith("duplicate 0200 94", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Kept_to_one_address_the_harness_says_plainly_that_the_per_address_cap_refused_it()
    {
        var settings = Settings(spreadSourceAddresses: false);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var elapsed = Stopwatch.StartNew();

        var exitCode = await LoadCommandLine.RunLoadAsync(settings, output, error, CancellationToken.None);

        Assert.Equal(LoadCommandLine.CouldNotRun, exitCode);
        var line = Assert.Single(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("socketatm load: the run could not be made: a connection cap refused the fleet: 127.0.0.1:", line, StringComparison.Ordinal);
        Assert.Matches(@"closed a connection from 127\.0\.0\.1 as soon as it was accepted, before answering its sign-on \(\d+ of this run's connections from that address had signed on\)", line);
        Assert.Contains("Listener:MaxConnectionsPerAddress (20 at this host)", line, StringComparison.Ordinal);
        Assert.Contains("leave out --single-source-address", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Broken pipe", error.ToString(), StringComparison.Ordinal);

        // Not a speed assertion: a refusal is seen at the first closed connection, where the library's reconnects would
        // otherwise run into the 60-second sign-on wait.
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(50), $"the refusal took {elapsed.Elapsed} to be reported");
    }

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    private LoadSettings Settings(bool spreadSourceAddresses) => new()
    {
        Workload = Workload.Mixed,
        Fleet = new FleetSettings { Terminals = 50, Cards = 40 },
        HostArguments = [SmallPerAddressCap],
        SpreadSourceAddresses = spreadSourceAddresses,
        Warmup = TimeSpan.FromSeconds(1),
        Duration = TimeSpan.FromSeconds(2),
        Ceilings = false,
        NoChart = true,
        OutputDirectory = _output,
    };
}
