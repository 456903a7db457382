using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.LiteDb;
using SocketAtm.Server.Tests.Transport;

namespace SocketAtm.Server.Tests.Ledger.LiteDb;

/// <summary>The open's log line says where a restart's time went: the figure issue 18's restart goal is measured by.</summary>
public sealed class OpenTimingTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "socketatm-open-timing-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_open_line_gives_the_whole_open_and_its_recovery_invariants_and_checkpoint_parts()
    {
        using var logs = new RecordingLoggerProvider();
        using var loggers = logs.CreateFactory();
        var options = new LedgerOptions { DataDirectory = _directory };
        await (await LiteDbLedger.OpenAsync(options, new FakeTimeProvider(DateTimeOffset.UtcNow))).DisposeAsync();

        await using var reopened = await LiteDbLedger.OpenAsync(
            options, new FakeTimeProvider(DateTimeOffset.UtcNow), logger: loggers.CreateLogger<LiteDbLedger>());

        var opened = Assert.Single(logs.Recent, line => line.Contains("Ledger opened at", StringComparison.Ordinal));
        Assert.Matches(@"invariants hold \(opened in \d+ ms: recovery and indexes \d+ ms, invariants \d+ ms, checkpoint \d+ ms\)", opened);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
