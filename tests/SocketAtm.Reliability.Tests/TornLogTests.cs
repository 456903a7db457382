using SocketAtm.Client;
using SocketAtm.CrashTest;
using Xunit.Abstractions;

namespace SocketAtm.Reliability.Tests;

/// <summary>
/// A log torn or truncated by a crash or a bad disk: the host recovers what LiteDB can, or refuses to start with a
/// clear message — it never starts with balances that disagree with its journal.
/// </summary>
public sealed class TornLogTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _original = Path.Combine(Path.GetTempPath(), "socketatm-torn-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> _copies = [];

    [Fact]
    public async Task A_truncated_or_torn_log_is_recovered_consistently_or_refused_with_a_message()
    {
        await KillUnderLoadWithAFullLogAsync();
        var log = Directory.GetFiles(_original, "*-log.db").Single();
        var length = new FileInfo(log).Length;
        Assert.True(length > 8192, $"the log holds {length} bytes: nothing to tear");

        var damages = new (string Name, Action<string> Damage)[]
        {
            ("truncated to 10%", path => Truncate(path, length / 10)),
            ("truncated to 37%", path => Truncate(path, length * 37 / 100)),
            ("truncated mid-page", path => Truncate(path, (length / 2) + 1234)),
            ("last page torn", path => Overwrite(path, length - 3000, 1500)),
            ("garbage in the middle", path => Overwrite(path, length / 3, 4096)),
        };

        foreach (var (name, damage) in damages)
        {
            var copy = CopyOf(_original);
            damage(Directory.GetFiles(copy, "*-log.db").Single());
            using var host = new HostProcess(copy);
            try
            {
                await host.StartAsync(TimeSpan.FromSeconds(60));
                await host.StopAsync(TimeSpan.FromSeconds(30));
                var (exit, verify) = await host.AdminAsync("verify");
                Assert.True(exit == 0, $"{name}: the host started, but verify says: {verify}");
                output.WriteLine($"{name}: recovered, verify holds");
            }
            catch (InvalidOperationException refused) when (refused.Message.Contains("cannot start", StringComparison.Ordinal))
            {
                // Refusing is allowed; it must say why in one readable line.
                Assert.Contains("socketatm: cannot start:", refused.Message, StringComparison.Ordinal);
                output.WriteLine($"{name}: refused — {refused.Message.Split('\n').First(line => line.Contains("cannot start", StringComparison.Ordinal))}");
            }
        }
    }

    public void Dispose()
    {
        foreach (var directory in _copies.Append(_original).Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task KillUnderLoadWithAFullLogAsync()
    {
        using var host = new HostProcess(_original);
        await host.StartAsync(TimeSpan.FromSeconds(60), "--Ledger:CheckpointEveryBatches=1000000", "--Ledger:CheckpointLogSizeBytes=1000000000");
        await using (var atm = await AtmTerminalClient.ConnectAsync(
            new TerminalConnectionOptions { Port = host.Port },
            new TerminalClientOptions { TerminalId = "ATM00009", RequestTimeout = TimeSpan.FromSeconds(5) }))
        {
            var withdrawals = Enumerable.Range(0, 300).Select(_ => atm.WithdrawAsync("4761739001010150", "3333", 100));
            await Task.WhenAll(withdrawals);
            host.Kill();
        }
    }

    private string CopyOf(string source)
    {
        var copy = source + "-" + _copies.Count;
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        _copies.Add(copy);
        return copy;
    }

    private static void Truncate(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.SetLength(length);
    }

    private static void Overwrite(string path, long offset, int count)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Position = offset;
        file.Write(Enumerable.Range(0, count).Select(i => (byte)(i * 31)).ToArray());
    }
}
