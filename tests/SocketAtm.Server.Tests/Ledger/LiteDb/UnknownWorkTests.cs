using Microsoft.Extensions.Logging.Abstractions;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.LiteDb;
using SocketAtm.Server.Ledger.Writer;

namespace SocketAtm.Server.Tests.Ledger.LiteDb;

/// <summary>The LiteDB writer fails work of a kind it does not know loudly, naming its type, instead of casting it to a request; the ledger goes on.</summary>
public sealed class UnknownWorkTests
{
    [Fact]
    public async Task Unknown_work_fails_with_its_type_and_the_next_request_is_decided()
    {
        await using var context = new LedgerTestContext();
        var fatal = new List<Exception>();
        using var metrics = new LedgerMetrics(new TestMeterFactory());
        var queue = new LedgerQueue(16, metrics, fatal.Add, NullLogger.Instance);
        var writer = new GroupCommitWriter(context.Options, queue, context.Time, DurableFileStreamFactory.Instance, metrics, NullLogger.Instance);
        writer.Start();
        await writer.Opened;
        var unknown = new UnknownWork();

        await queue.EnqueueAsync(unknown, CancellationToken.None);
        var outcome = await queue.SubmitAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000), CancellationToken.None);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => unknown.Failed);
        Assert.Contains(typeof(UnknownWork).FullName!, failure.Message, StringComparison.Ordinal);
        Assert.Equal(ResponseCodes.Approved, outcome.ResponseCode);
        Assert.Empty(fatal);
        queue.Close();
        await writer.Stopped;
    }
}
