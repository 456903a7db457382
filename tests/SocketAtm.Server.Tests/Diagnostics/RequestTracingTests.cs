using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Diagnostics;

/// <summary>
/// The spans of terminal requests on the real host (LiteDB ledger, socket listener), seen through a listener on the
/// "SocketAtm" source: one root per request, the ledger's commit its child, the answer's tags, and no card data.
/// </summary>
public sealed class RequestTracingTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public RequestTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AtmTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task Each_withdrawal_is_one_root_span_with_its_ledger_commit_as_child_and_no_card_data_in_any_tag()
    {
        await using var host = await RunningHost.StartAsync();
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(host.EndPoint);
        var stan = 1;
        Assert.Equal("00", (await ExchangeAsync(client, DemoRequests.SignOn(stan: stan++, transmissionDateTime: Now()))).GetString(DataElements.ResponseCode));

        // Amounts no other test sends: the listener sees every host in this process.
        var amounts = new[] { 17_31L, 17_32L };
        var requests = amounts.Select(amount => DemoRequests.Withdrawal(amount, stan++, transmissionDateTime: Now())).ToList();
        foreach (var request in requests)
        {
            Assert.Equal("00", (await ExchangeAsync(client, request)).GetString(DataElements.ResponseCode));
        }

        foreach (var amount in amounts)
        {
            var root = await WaitForAsync(span => span.GetTagItem(AtmTracing.AmountTag) is long tagged && tagged == amount);
            Assert.Equal(ActivityKind.Server, root.Kind);
            Assert.Equal("atm 0200", root.DisplayName);
            Assert.Equal(default, root.ParentSpanId); // a root, not a child of the sign-on or the request before it on this thread
            Assert.Equal("0200", root.GetTagItem(AtmTracing.MtiTag));
            Assert.Equal("012000", root.GetTagItem(AtmTracing.ProcessingCodeTag));
            Assert.Equal(DemoRequests.TerminalId, root.GetTagItem(AtmTracing.TerminalIdTag));
            Assert.Equal("00", root.GetTagItem(AtmTracing.ResponseCodeTag));
            Assert.Equal(ActivityStatusCode.Unset, root.Status);

            var commit = await WaitForAsync(span => span.ParentSpanId == root.SpanId);
            Assert.Equal(AtmTracing.LedgerCommitSpanName, commit.DisplayName);
            Assert.Equal(root.TraceId, commit.TraceId);
            Assert.True(commit.GetTagItem(AtmTracing.BatchSizeTag) is int size && size >= 1);
            Assert.Equal("00", commit.GetTagItem(AtmTracing.ResponseCodeTag));
            Assert.InRange(commit.StartTimeUtc, root.StartTimeUtc, root.StartTimeUtc + root.Duration);
            Assert.Single(_stopped, span => span.GetTagItem(AtmTracing.AmountTag) is long tagged && tagged == amount);
        }

        var secrets = requests
            .SelectMany(request => new[] { request.GetString(DataElements.PrimaryAccountNumber)!, Convert.ToHexString(request.Get(DataElements.PinBlock)) })
            .Append(SocketAtm.Protocol.Masking.SensitiveData.MaskPan(DemoCards.Active))
            .ToList();
        var traces = _stopped.Where(span => span.GetTagItem(AtmTracing.TerminalIdTag) is DemoRequests.TerminalId).Select(span => span.TraceId).ToHashSet();
        foreach (var span in _stopped.Where(span => traces.Contains(span.TraceId)))
        {
            foreach (var (key, value) in span.TagObjects)
            {
                var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                Assert.DoesNotContain(secrets, secret => text.Contains(secret, StringComparison.OrdinalIgnoreCase) || text.Contains(DemoCards.Active[..12], StringComparison.Ordinal));
                Assert.NotEqual("atm.pan", key);
            }
        }
    }

    [Fact]
    public async Task A_decline_is_no_error_of_the_host()
    {
        await using var host = await RunningHost.StartAsync();
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(host.EndPoint);
        Assert.Equal("00", (await ExchangeAsync(client, DemoRequests.SignOn(stan: 1, transmissionDateTime: Now()))).GetString(DataElements.ResponseCode));

        var wrongPin = DemoRequests.Withdrawal(17_33L, 2, pin: "0000", transmissionDateTime: Now());
        Assert.Equal(ResponseCodes.IncorrectPin, (await ExchangeAsync(client, wrongPin)).GetString(DataElements.ResponseCode));

        var root = await WaitForAsync(span => span.GetTagItem(AtmTracing.AmountTag) is 17_33L);
        Assert.Equal(ResponseCodes.IncorrectPin, root.GetTagItem(AtmTracing.ResponseCodeTag));
        Assert.Equal(ActivityStatusCode.Unset, root.Status);
    }

    public void Dispose() => _listener.Dispose();

    private static string Now() => DateTime.UtcNow.ToString("MMddHHmmss", CultureInfo.InvariantCulture);

    private async Task<Activity> WaitForAsync(Func<Activity, bool> match)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (_stopped.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "the span never ended");
            await Task.Delay(10);
        }
    }

    private static async Task<IsoMessage> ExchangeAsync(TcpClient client, IsoMessage request)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var stream = client.GetStream();
        await stream.WriteAsync(ReferenceMessages.ToFrame(request), timeout.Token);
        var header = new byte[2];
        await stream.ReadExactlyAsync(header, timeout.Token);
        var payload = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
        await stream.ReadExactlyAsync(payload, timeout.Token);
        var response = new IsoMessage();
        Assert.True(IsoMessageParser.TryParse(payload, response, out var error), error.ToString());
        return response;
    }
}
