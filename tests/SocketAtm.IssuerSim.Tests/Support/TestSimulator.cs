using SocketAtm.IssuerSim.Faults;

namespace SocketAtm.IssuerSim.Tests.Support;

/// <summary>A simulator on a free loopback port with a book in a throw-away directory.</summary>
internal sealed class TestSimulator : IAsyncDisposable
{
    private TestSimulator(IssuerSimulator simulator, string directory)
    {
        Simulator = simulator;
        Directory = directory;
    }

    public IssuerSimulator Simulator { get; private set; }

    public string Directory { get; }

    public int Port => Simulator.Port;

    public static async Task<TestSimulator> StartAsync(FaultOptions? faults = null, byte[]? zak = null, string? refuseAdvices = null, string? refuseReversals = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "issuer-sim-tests", Guid.NewGuid().ToString("N"));
        return new TestSimulator(await IssuerSimulator.StartAsync(Options(directory, faults, zak, refuseAdvices, refuseReversals)), directory);
    }

    public static IssuerSimulatorOptions Options(string directory, FaultOptions? faults = null, byte[]? zak = null, string? refuseAdvices = null, string? refuseReversals = null) => new()
    {
        Port = 0,
        DataDirectory = directory,
        Faults = faults ?? new FaultOptions(),
        ZoneMacKey = zak,
        RefuseAdvices = refuseAdvices,
        RefuseReversals = refuseReversals,
    };

    /// <summary>Stops the simulator and starts another on the same book (and a new port).</summary>
    public async Task RestartAsync()
    {
        await Simulator.DisposeAsync();
        Simulator = await IssuerSimulator.StartAsync(Options(Directory));
    }

    public long Balance(string pan) => Simulator.BalanceOf(pan) ?? throw new InvalidOperationException("Not a card of the simulator.");

    public async ValueTask DisposeAsync()
    {
        await Simulator.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
