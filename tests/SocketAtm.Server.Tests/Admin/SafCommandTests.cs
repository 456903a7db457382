using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Acquiring;

namespace SocketAtm.Server.Tests.Admin;

/// <summary>
/// <c>admin saf list|show|retry</c>: an operator sees every owed advice with its state and tries (masked PAN only), one in
/// full by its RRN, and puts an exception the issuer refused back in the queue.
/// </summary>
public sealed class SafCommandTests : IDisposable
{
    private const string Pan = "5413330000000019";
    private readonly AdminRunner _admin = new();

    [Fact]
    public async Task An_operator_lists_shows_and_retries_an_exception_and_the_queue_shows_no_pan()
    {
        var (queuedRrn, refusedRrn) = await OweTwoReversalsOneRefusedAsync();

        var list = await _admin.RunAsync("saf", "list");
        var show = await _admin.RunAsync("saf", "show", refusedRrn);
        var retryQueued = await _admin.RunAsync("saf", "retry", queuedRrn);
        var retry = await _admin.RunAsync("saf", "retry", refusedRrn);
        var after = await _admin.RunAsync("saf", "list", "--route", "demo-issuer");
        var unknown = await _admin.RunAsync("saf", "show", "000000000000");

        Assert.Equal(0, list.Code);
        Assert.Contains("queued", Assert.Single(list.Output.Split('\n'), line => line.Contains(queuedRrn, StringComparison.Ordinal)), StringComparison.Ordinal);
        var refusedLine = Assert.Single(list.Output.Split('\n'), line => line.Contains(refusedRrn, StringComparison.Ordinal));
        Assert.Contains("exception", refusedLine, StringComparison.Ordinal);
        Assert.Contains("541333******0019", refusedLine, StringComparison.Ordinal);
        Assert.Contains("2 owed, 1 exceptions.", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Pan, list.Output + show.Output, StringComparison.Ordinal);
        Assert.Equal(0, show.Code);
        Assert.Contains("refused with 12", show.Output, StringComparison.Ordinal);
        Assert.Contains("Tries        1 (the next is an 0421)", show.Output, StringComparison.Ordinal);
        Assert.Equal(2, retryQueued.Code);
        Assert.Contains("is queued, not an exception", retryQueued.Error, StringComparison.Ordinal);
        Assert.Equal(0, retry.Code);
        Assert.Contains("2 owed, 0 exceptions.", after.Output, StringComparison.Ordinal);
        Assert.Equal(2, unknown.Code);
        Assert.Contains("Nothing is owed for RRN 000000000000", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_queue_says_so()
    {
        await (await _admin.OpenLedgerAsync()).DisposeAsync();

        var list = await _admin.RunAsync("saf", "list");

        Assert.Equal((0, "Nothing owed: the store-and-forward queue is empty."), (list.Code, list.Output.Trim()));
    }

    [Fact]
    public async Task A_stand_in_advice_the_issuer_booked_but_would_have_declined_is_listed_as_a_dispute()
    {
        await using (var ledger = await _admin.OpenLedgerAsync())
        {
            var key = new RequestKey("00000000000", "ATM00001", 9, "1203101500");
            await ledger.ExecuteAsync(
                new LedgerRequest
                {
                    Kind = TransactionKind.Withdrawal,
                    Key = key,
                    Mti = 200,
                    Pan = Pan,
                    Amount = 3_000,
                    ReceivedAt = DateTimeOffset.UtcNow,
                    Upstream = new ForwardingIntent("demo-issuer", 9, "1203101500"),
                },
                CancellationToken.None);
            await ledger.StandInAsync(key, new StandInTerms("demo-issuer", 5_000, 5_000, 1, Server.Security.StandInPinResult.Verified), Pan, CancellationToken.None);
            Assert.Single(await ledger.ClaimSafAsync("demo-issuer", "test-host", DateTimeOffset.UtcNow.AddMinutes(1), 10, CancellationToken.None));
            await ledger.RecordSafResultAsync(key, new SafAttemptResult("test-host", ResponseCodes.InsufficientFunds, true, 0, "answered 51"), CancellationToken.None);
        }

        var disputes = await _admin.RunAsync("saf", "disputes");

        Assert.Equal(0, disputes.Code);
        var line = Assert.Single(disputes.Output.Split('\n'), text => text.Contains("541333******0019", StringComparison.Ordinal));
        Assert.EndsWith("30.00  51", line.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain(Pan, disputes.Output, StringComparison.Ordinal);
    }

    private async Task<(string Queued, string Refused)> OweTwoReversalsOneRefusedAsync()
    {
        await using var ledger = await _admin.OpenLedgerAsync();
        var keys = new List<RequestKey>();
        for (var stan = 1; stan <= 2; stan++)
        {
            var key = new RequestKey("00000000000", "ATM00001", stan, "1203101500");
            keys.Add(key);
            await ledger.ExecuteAsync(
                new LedgerRequest
                {
                    Kind = TransactionKind.Withdrawal,
                    Key = key,
                    Mti = 200,
                    Pan = stan == 1 ? Pan : "5413330000000027",
                    Amount = 2_000,
                    ReceivedAt = DateTimeOffset.UtcNow,
                    Upstream = new ForwardingIntent("demo-issuer", stan, "1203101500"),
                },
                CancellationToken.None);
            await ledger.GiveUpAsync(key, CancellationToken.None);
        }

        var claimed = await ledger.ClaimSafAsync("demo-issuer", "test-host", DateTimeOffset.UtcNow.AddMinutes(1), 10, CancellationToken.None);
        var refused = Assert.Single(claimed, entry => entry.OriginalKey == keys[0]);
        await ledger.RecordSafResultAsync(keys[0], new SafAttemptResult("test-host", ResponseCodes.InvalidTransaction, true, 0, "answered 12"), CancellationToken.None);
        var queued = Assert.Single(claimed, entry => entry.OriginalKey == keys[1]);
        return (queued.RetrievalReference, refused.RetrievalReference);
    }

    public void Dispose() => _admin.Dispose();
}
