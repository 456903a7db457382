using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.KeyProtection;
using SocketAtm.Server.Ledger.PostgreSql;
using SocketAtm.Server.Ledger.Writer;
using SocketAtm.Server.Security;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>The PostgreSQL writer fails work of a kind it does not know loudly, naming its type, instead of casting it to a request; the ledger goes on.</summary>
[RequiresPostgreSql]
[Collection(SharedPostgreSqlServer.Name)]
public sealed class UnknownWorkTests(PostgreSqlServerFixture postgres)
{
    [StorageFact]
    public async Task Unknown_work_fails_with_its_type_and_the_next_request_is_decided()
    {
        var kek = RandomNumberGenerator.GetBytes(32);
        await using var context = new LedgerTestContext(options => options.KeyEncryptionKey = Convert.ToHexString(kek));
        var storage = new PostgreSqlStorageOptions { ConnectionString = await postgres.Server.CreateDatabaseAsync() };
        await (await PostgreSqlLedger.OpenAsync(context.Options, storage, context.Time)).DisposeAsync(); // the schema and the demo data

        // A writer of its own, as a second host's, over a queue the test holds.
        await using var dataSource = NpgsqlDataSource.Create(storage.ConnectionString);
        using var protector = new KeyProtector(kek);
        var pins = new IssuerPinVerifiers();
        pins.Load([DemoData.PinVerificationKey]);
        var fatal = new List<Exception>();
        using var metrics = new LedgerMetrics(new TestMeterFactory());
        var queue = new LedgerQueue(16, metrics, fatal.Add, NullLogger.Instance);
        var writer = new PostgreSqlBatchWriter(dataSource, protector, pins, context.Options, storage, queue, context.Time, metrics, NullLogger.Instance);
        writer.Start();
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
