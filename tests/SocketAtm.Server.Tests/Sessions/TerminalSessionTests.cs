using System.Text;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Security;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Tests.Sessions;

public class TerminalSessionTests
{
    [Fact]
    public async Task Sign_on_is_answered_0810_with_00_echoing_stan_terminal_and_code()
    {
        await using var host = new SessionHarness();
        await host.SendAsync(DemoRequests.SignOn(stan: 42));

        var response = await host.ReceiveAsync();

        Assert.NotNull(response);
        Assert.Equal(810, response.Mti);
        Assert.Equal("00", response.GetString(39));
        Assert.Equal("000042", response.GetString(11));
        Assert.Equal("ATM00009", response.GetString(41));
        Assert.Equal("001", response.GetString(70));
        Assert.Equal(DemoRequests.TransmissionDateTime, response.GetString(7));
    }

    [Fact]
    public async Task A_terminal_signed_on_is_present_until_its_connection_ends_and_then_listed_signed_off()
    {
        await using var host = new SessionHarness(remoteAddress: "10.1.2.3");
        await host.SendAsync(DemoRequests.SignOn(stan: 42));
        Assert.Equal("00", (await host.ReceiveAsync())!.GetString(39));

        var present = Assert.Single(host.Presence.Snapshot(10));
        Assert.Equal(("ATM00009", 1, "10.1.2.3"), (present.TerminalId, present.Connections, present.RemoteAddress));

        await host.CloseTerminalSideAsync();
        await host.Running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, Assert.Single(host.Presence.Snapshot(10)).Connections);
        Assert.Equal(0, host.Presence.SignedOnCount);
    }

    [Fact]
    public async Task Sign_on_of_an_unknown_terminal_is_answered_58()
    {
        await using var host = new SessionHarness();
        await host.SendAsync(DemoRequests.SignOn("ATM99999"));

        Assert.Equal("58", (await host.ReceiveAsync())!.GetString(39));
    }

    [Fact]
    public async Task Sign_on_of_a_disabled_terminal_is_answered_58()
    {
        var ledger = new FakeLedger();
        ledger.AddTerminal("ATM00005", enabled: false);
        await using var host = new SessionHarness(ledger);
        await host.SendAsync(DemoRequests.SignOn("ATM00005"));

        Assert.Equal("58", (await host.ReceiveAsync())!.GetString(39));
    }

    [Fact]
    public async Task Withdrawal_before_sign_on_is_answered_58_and_never_reaches_the_ledger()
    {
        await using var host = new SessionHarness();
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 2));

        var response = await host.ReceiveAsync();

        Assert.Equal(210, response!.Mti);
        Assert.Equal("58", response.GetString(39));
        Assert.Empty(host.Ledger.Requests);
    }

    [Fact]
    public async Task Sign_off_ends_the_terminals_right_to_send_financial_messages()
    {
        await using var host = new SessionHarness();
        await host.SendAsync(DemoRequests.SignOn());
        await host.ReceiveAsync();
        await host.SendAsync(DemoRequests.NetworkManagement("ATM00009", 2, "002"));
        Assert.Equal("00", (await host.ReceiveAsync())!.GetString(39));

        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 3));

        Assert.Equal("58", (await host.ReceiveAsync())!.GetString(39));
    }

    [Fact]
    public async Task Echo_from_a_registered_terminal_is_answered_00()
    {
        await using var host = new SessionHarness();
        await host.SendAsync(DemoRequests.NetworkManagement("ATM00009", 7, "301"));

        var response = await host.ReceiveAsync();

        Assert.Equal("00", response!.GetString(39));
        Assert.Equal("301", response.GetString(70));
    }

    [Fact]
    public async Task Unknown_network_management_code_is_answered_12()
    {
        await using var host = new SessionHarness();
        await host.SendAsync(DemoRequests.NetworkManagement("ATM00009", 7, "999"));

        Assert.Equal("12", (await host.ReceiveAsync())!.GetString(39));
    }

    [Fact]
    public async Task Unknown_mti_is_answered_with_its_response_mti_and_12()
    {
        await using var host = new SessionHarness();
        var request = new IsoMessage { Mti = 300 };
        request.SetNumber(11, 5);
        request.Set(41, "ATM00009");
        await host.SendAsync(request);

        var response = await host.ReceiveAsync();

        Assert.Equal(310, response!.Mti);
        Assert.Equal("12", response.GetString(39));
        Assert.Equal("000005", response.GetString(11));
    }

    [Fact]
    public async Task Unsupported_processing_code_is_answered_12_never_approved()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host);
        var request = DemoRequests.Withdrawal(4000, stan: 2);
        request.Set(3, "400000");
        await host.SendAsync(request);

        Assert.Equal("12", (await host.ReceiveAsync())!.GetString(39));
        Assert.Empty(host.Ledger.Requests);
    }

    [Fact]
    public async Task Withdrawal_without_an_amount_is_a_format_error_30_echoing_stan_and_terminal()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host);
        var request = DemoRequests.Withdrawal(4000, stan: 77);
        request.Remove(4);
        await host.SendAsync(request);

        var response = await host.ReceiveAsync();

        Assert.Equal(210, response!.Mti);
        Assert.Equal("30", response.GetString(39));
        Assert.Equal("000077", response.GetString(11));
        Assert.Equal("ATM00009", response.GetString(41));
    }

    [Fact]
    public async Task Malformed_field_is_answered_30_with_the_readable_mti_stan_and_terminal()
    {
        await using var host = new SessionHarness();
        var bytes = IsoMessageWriter.ToArray(DemoRequests.Withdrawal(4000, stan: 12));

        // Corrupt DE 49 (after DE 11 and DE 41) with a letter: the message is unparsable from there on.
        var currencyAt = bytes.Length - 8 - 3;
        Assert.Equal((byte)'8', bytes[currencyAt]);
        bytes[currencyAt] = (byte)'X';
        await host.SendRawAsync([(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes]);

        var response = await host.ReceiveAsync();

        Assert.Equal(210, response!.Mti);
        Assert.Equal("30", response.GetString(39));
        Assert.Equal("000012", response.GetString(11));
        Assert.Equal("ATM00009", response.GetString(41));
    }

    [Fact]
    public async Task Frame_longer_than_the_maximum_closes_the_connection_without_answer()
    {
        await using var host = new SessionHarness(options: new ListenerOptions { MaxFrameLength = 512 });
        await host.SendRawAsync([0x02, 0x01, (byte)'0', (byte)'8']);

        Assert.True(await host.HostClosedAsync());
        await host.Running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Message_without_a_readable_mti_closes_the_connection()
    {
        await using var host = new SessionHarness();
        await host.SendRawAsync([0x00, 0x0C, (byte)'G', (byte)'E', (byte)'T', (byte)' ', 0, 0, 0, 0, 0, 0, 0, 0]);

        Assert.True(await host.HostClosedAsync());
    }

    [Fact]
    public async Task Keep_alive_frames_are_not_answered_and_do_not_disturb_the_stream()
    {
        await using var host = new SessionHarness();
        await host.SendRawAsync([0x00, 0x00, 0x00, 0x00]);
        await host.SendAsync(DemoRequests.SignOn(stan: 9));

        var response = await host.ReceiveAsync();

        Assert.Equal("000009", response!.GetString(11));
    }

    [Fact]
    public async Task Response_messages_sent_by_a_terminal_are_ignored()
    {
        await using var host = new SessionHarness();
        var stray = DemoRequests.SignOn(stan: 1);
        stray.Mti = 810;
        await host.SendAsync(stray);
        await host.SendAsync(DemoRequests.SignOn(stan: 2));

        Assert.Equal("000002", (await host.ReceiveAsync())!.GetString(11));
    }

    [Fact]
    public async Task Pipelined_requests_complete_out_of_order_and_each_response_is_whole()
    {
        var ledger = new FakeLedger();
        var first = new TaskCompletionSource<LedgerOutcome>();
        ledger.Decide = request => request.Key.Stan == 10
            ? first.Task
            : Task.FromResult(new LedgerOutcome { ResponseCode = "51", AccountType = AccountType.Checking, Currency = 840 });
        await using var host = new SessionHarness(ledger);
        await SignOnAsync(host);

        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 10));
        await host.SendAsync(DemoRequests.Withdrawal(9000, stan: 11));
        var second = await host.ReceiveAsync();
        first.SetResult(new LedgerOutcome { ResponseCode = "00", AuthorizationId = "654321", RetrievalReference = "000000000777", AccountType = AccountType.Checking, LedgerBalance = 1, AvailableBalance = 1, Currency = 840 });
        var firstResponse = await host.ReceiveAsync();

        Assert.Equal("000011", second!.GetString(11));
        Assert.Equal("51", second.GetString(39));
        Assert.Equal("000010", firstResponse!.GetString(11));
        Assert.Equal("00", firstResponse.GetString(39));
        Assert.Equal("654321", firstResponse.GetString(38));
    }

    [Fact]
    public async Task Withdrawal_hands_the_ledger_the_key_amount_and_the_pvv_of_the_entered_pin()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host);
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 21));
        await host.ReceiveAsync();

        var request = Assert.Single(host.Ledger.Requests);
        Assert.Equal(TransactionKind.Withdrawal, request.Kind);
        Assert.Equal(new RequestKey("00000012345", "ATM00009", 21, DemoRequests.TransmissionDateTime), request.Key);
        Assert.Equal(4000, request.Amount);
        Assert.Equal(840, request.Currency);
        Assert.Equal(AccountType.Checking, request.AccountType);
        Assert.Equal(ExpectedPvv(DemoCards.Active, "1234"), request.CandidatePvv);
    }

    [Fact]
    public async Task Wrong_pin_gives_the_ledger_a_different_pvv()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host);
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 21, pin: "9999"));
        await host.ReceiveAsync();

        var request = Assert.Single(host.Ledger.Requests);
        Assert.NotEqual(ExpectedPvv(DemoCards.Active, "1234"), request.CandidatePvv);
        Assert.True(request.HasPinBlock);
    }

    [Fact]
    public async Task Approved_withdrawal_response_carries_auth_id_rrn_and_balance_blocks()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host);
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 30));

        var response = await host.ReceiveAsync();

        Assert.Equal("00", response!.GetString(39));
        Assert.Equal("123456", response.GetString(38));
        Assert.Equal("000000000001", response.GetString(37));
        Assert.Equal("000000004000", response.GetString(4));
        Assert.Equal("2001840C0000000960002002840C000000096000", response.GetString(54));
        Assert.Equal(DemoCards.Active, response.GetString(2));
    }

    [Fact]
    public async Task Reversal_passes_the_original_key_from_de90_and_the_dispensed_amount_from_de95()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host);
        await host.SendAsync(DemoRequests.Reversal(6000, stan: 31, originalStan: 30, dispensed: 2000));

        var response = await host.ReceiveAsync();

        Assert.Equal(410, response!.Mti);
        var request = Assert.Single(host.Ledger.Requests);
        Assert.Equal(TransactionKind.Reversal, request.Kind);
        Assert.Equal(new RequestKey("00000012345", "ATM00009", 30, DemoRequests.TransmissionDateTime), request.OriginalKey);
        Assert.Equal(2000, request.DispensedAmount);
        Assert.Equal(6000, request.Amount);
        Assert.Equal(request.Key with { Stan = 31 }, request.Key);
    }

    [Fact]
    public async Task Reversal_advice_is_answered_0430()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host);
        await host.SendAsync(DemoRequests.Reversal(6000, stan: 31, originalStan: 30, mti: 420));

        Assert.Equal(430, (await host.ReceiveAsync())!.Mti);
    }

    [Fact]
    public async Task Repeat_0201_is_answered_0210_and_marked_as_a_repeat_for_the_ledger()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host);
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 40, mti: 201));

        Assert.Equal(210, (await host.ReceiveAsync())!.Mti);
        Assert.True(Assert.Single(host.Ledger.Requests).IsRepeat);
    }

    [Fact]
    public async Task A_failing_ledger_is_answered_96_not_a_dropped_connection()
    {
        var ledger = new FakeLedger { Decide = _ => Task.FromException<LedgerOutcome>(new InvalidOperationException("disk on fire")) };
        await using var host = new SessionHarness(ledger);
        await SignOnAsync(host);
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 50));

        var response = await host.ReceiveAsync();

        Assert.Equal("96", response!.GetString(39));
        Assert.False(response.Has(38));
    }

    [Fact]
    public async Task Idle_connection_is_closed_after_the_idle_timeout()
    {
        await using var host = new SessionHarness(options: new ListenerOptions { IdleTimeout = TimeSpan.FromSeconds(60) });
        await host.SendAsync(DemoRequests.SignOn());
        await host.ReceiveAsync();

        host.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.False(host.Running.IsCompleted);
        host.Time.Advance(TimeSpan.FromSeconds(2));

        await host.Running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Partial_frame_not_completed_in_time_closes_the_connection()
    {
        await using var host = new SessionHarness(options: new ListenerOptions { PartialFrameTimeout = TimeSpan.FromSeconds(5) });
        await host.SendRawAsync([0x00, 0x40, (byte)'0', (byte)'8']);
        await Task.Delay(50);

        host.Time.Advance(TimeSpan.FromSeconds(6));

        await host.Running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_busy_terminal_whose_reads_end_mid_frame_is_not_taken_for_a_slow_sender()
    {
        await using var host = new SessionHarness(options: new ListenerOptions { PartialFrameTimeout = TimeSpan.FromSeconds(30) });
        await SignOnAsync(host); // else the sign-on timeout would end these 120 s first
        var frame = Frame(DemoRequests.NetworkManagement("ATM00009", 1, "301"));
        var half = frame.Length / 2;
        await host.SendRawAsync(frame[..half]);
        for (var i = 0; i < 6; i++)
        {
            // Each read completes one echo and starts the next: 120 s of steady traffic, never 30 s on one frame.
            host.Time.Advance(TimeSpan.FromSeconds(20));
            await host.SendRawAsync([.. frame[half..], .. frame[..half]]);
            Assert.Equal("00", (await host.ReceiveAsync())!.GetString(39));
        }

        Assert.False(host.Running.IsCompleted);
    }

    [Fact]
    public async Task Frame_arriving_as_the_idle_timer_fires_is_answered_and_the_connection_stays_open()
    {
        var scheduler = new HeldScheduler();
        await using var host = new SessionHarness(options: new ListenerOptions { IdleTimeout = TimeSpan.FromSeconds(60) }, hostReadScheduler: scheduler);
        await SignOnAsync(host);
        await SendUntilTheSessionWaitsForBytesAsync(host, scheduler, Enumerable.Repeat<byte[]>([0x00, 0x00], 10_000));

        // One read now sees both the idle timer's cancellation and a complete echo request.
        host.Time.Advance(TimeSpan.FromSeconds(60));
        host.WriteUnflushed(DemoRequests.NetworkManagement("ATM00009", 77, "301"));
        await host.FlushAsync();
        scheduler.Release();

        var response = await host.ReceiveAsync();
        Assert.Equal("000077", response!.GetString(11));
        Assert.Equal("00", response.GetString(39));
        Assert.False(host.Running.IsCompleted);
    }

    [Fact]
    public async Task Frame_completing_as_the_partial_frame_timer_fires_is_answered()
    {
        var scheduler = new HeldScheduler();
        await using var host = new SessionHarness(options: new ListenerOptions { PartialFrameTimeout = TimeSpan.FromSeconds(5) }, hostReadScheduler: scheduler);
        var frame = Frame(DemoRequests.NetworkManagement("ATM00009", 78, "301"));
        var sent = await SendUntilTheSessionWaitsForBytesAsync(host, scheduler, frame[..^1].Select(b => new[] { b }));

        host.Time.Advance(TimeSpan.FromSeconds(5));
        await host.SendRawAsync(frame[sent..]);
        scheduler.Release();

        var response = await host.ReceiveAsync();
        Assert.Equal("000078", response!.GetString(11));
        Assert.False(host.Running.IsCompleted);
    }

    [Fact]
    public async Task Stop_reading_lets_in_flight_requests_finish_before_the_session_ends()
    {
        var ledger = new FakeLedger();
        var held = new TaskCompletionSource<LedgerOutcome>();
        ledger.Decide = _ => held.Task;
        await using var host = new SessionHarness(ledger);
        await SignOnAsync(host);
        await host.SendAsync(DemoRequests.Withdrawal(4000, stan: 60));
        while (host.Ledger.Requests.IsEmpty)
        {
            await Task.Delay(5);
        }

        host.Session.StopReading();
        await Task.Delay(50);
        Assert.False(host.Running.IsCompleted);
        held.SetResult(new LedgerOutcome { ResponseCode = "00", AccountType = AccountType.Checking, Currency = 840 });

        Assert.Equal("000060", (await host.ReceiveAsync())!.GetString(11));
        await host.Running.WaitAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>
    /// Holds the session's read continuation and sends chunks until one finds the session waiting in a read (its
    /// continuation is then held): from here the test decides what that read returns. Returns the bytes sent.
    /// </summary>
    private static async Task<int> SendUntilTheSessionWaitsForBytesAsync(SessionHarness host, HeldScheduler scheduler, IEnumerable<byte[]> chunks)
    {
        scheduler.Hold();
        var sent = 0;
        foreach (var chunk in chunks)
        {
            await host.SendRawAsync(chunk);
            sent += chunk.Length;
            await Task.Delay(1);
            if (scheduler.HeldCount > 0)
            {
                return sent;
            }
        }

        throw new InvalidOperationException("The session never waited for bytes.");
    }

    private static byte[] Frame(IsoMessage message)
    {
        var body = IsoMessageWriter.ToArray(message);
        return [(byte)(body.Length >> 8), (byte)body.Length, .. body];
    }

    private static async Task SignOnAsync(SessionHarness host)
    {
        await host.SendAsync(DemoRequests.SignOn());
        Assert.Equal("00", (await host.ReceiveAsync())!.GetString(39));
    }

    private static string ExpectedPvv(string pan, string pin)
    {
        Span<byte> pvv = stackalloc byte[4];
        PinVerificationValue.Compute(FakeLedger.DemoPinVerificationKey, Encoding.ASCII.GetBytes(pan), 1, Encoding.ASCII.GetBytes(pin), pvv);
        return Encoding.ASCII.GetString(pvv);
    }
}
