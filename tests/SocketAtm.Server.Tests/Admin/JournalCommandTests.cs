using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Tests.Admin;

/// <summary><c>admin journal</c> shows each row's disposition and detail, so that security events read as what they are.</summary>
public sealed class JournalCommandTests : IDisposable
{
    private readonly AdminRunner _admin = new();

    [Fact]
    public async Task A_refused_key_exchange_shows_as_rejected_with_its_DE_70()
    {
        await using (var ledger = await _admin.OpenLedgerAsync())
        {
            await ledger.ExecuteAsync(
                new LedgerRequest
                {
                    Kind = TransactionKind.NetworkManagement,
                    Key = new RequestKey("00000000000", "ATM00001", 7, "1203101500"),
                    Mti = 800,
                    Pan = string.Empty,
                    IsSecurityViolation = true,
                    Detail = "DE 70 161",
                    ReceivedAt = DateTimeOffset.UtcNow,
                },
                CancellationToken.None);
        }

        var run = await _admin.RunAsync("journal", "--terminal", "ATM00001");

        Assert.Equal(0, run.Code);
        var row = Assert.Single(run.Output.Split('\n'), line => line.Contains("ATM00001", StringComparison.Ordinal));
        Assert.Contains($" {JournalDisposition.Rejected} ", row, StringComparison.Ordinal);
        Assert.EndsWith("DE 70 161", row.TrimEnd(), StringComparison.Ordinal);
    }

    public void Dispose() => _admin.Dispose();
}
