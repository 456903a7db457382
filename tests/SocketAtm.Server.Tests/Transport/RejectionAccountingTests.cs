using System.Text;
using Microsoft.Extensions.Logging;
using SocketAtm.Fuzz;
using SocketAtm.Server.Tests.Sessions;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Tests.Transport;

/// <summary>Every rejected frame or message is counted once in the metrics and logged once, without its sensitive bytes.</summary>
public sealed class RejectionAccountingTests
{
    private const string Rejected = "socketatm.frames.rejected";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task An_oversized_length_header_is_counted_and_logged_once_and_closes()
    {
        var logs = new RecordingLoggerProvider(SeedFrames.DemoPan, "4761739", Convert.ToHexString(FakeLedger.DemoPinKey));
        await using var sessions = NewSessions(logs);
        await using var session = sessions.Open();
        await session.WriteAsync(new byte[] { 0x02, 0x01, (byte)'0', (byte)'8' });

        Assert.True(await session.EndsWithinAsync(Bound));
        AssertCountedAndLoggedOnce(sessions, logs, Rejected + "/reason=frame_too_large", eventId: 5);
    }

    [Fact]
    public async Task A_message_without_a_digit_mti_is_counted_and_logged_once_and_closes()
    {
        var logs = new RecordingLoggerProvider(SeedFrames.DemoPan, "4761739", Convert.ToHexString(FakeLedger.DemoPinKey));
        await using var sessions = NewSessions(logs);
        await using var session = sessions.Open();
        await session.WriteAsync(new byte[] { 0x00, 0x0C, (byte)'G', (byte)'E', (byte)'T', (byte)' ', 0, 0, 0, 0, 0, 0, 0, 0 });

        Assert.True(await session.EndsWithinAsync(Bound));
        AssertCountedAndLoggedOnce(sessions, logs, Rejected + "/reason=InvalidMti", eventId: 7);
    }

    [Fact]
    public async Task A_malformed_pan_is_answered_30_counted_and_logged_once_without_the_card_number()
    {
        var logs = new RecordingLoggerProvider(SeedFrames.DemoPan, "4761739", Convert.ToHexString(FakeLedger.DemoPinKey));
        await using var sessions = NewSessions(logs);
        var frame = SeedFrames.Withdrawal("ATM00009", 5, 4000);
        var panAt = Encoding.ASCII.GetString(frame).IndexOf(SeedFrames.DemoPan, StringComparison.Ordinal);
        frame[panAt + 9] = (byte)'X';
        await using var session = sessions.Open();
        await session.WriteAsync(frame);

        Assert.Equal((210, "30"), await session.NextResponseAsync(Bound));
        AssertCountedAndLoggedOnce(sessions, logs, Rejected + "/reason=InvalidCharacter", eventId: 6);
        Assert.Single(logs.Recent, line => line.Contains("byte not shown: card data", StringComparison.Ordinal));
        Assert.Equal(1, sessions.Count("socketatm.messages/mti=200/response_code=30"));
    }

    [Fact]
    public async Task A_frame_cut_by_the_terminal_closing_is_counted_and_logged_once()
    {
        var logs = new RecordingLoggerProvider(SeedFrames.DemoPan, "4761739", Convert.ToHexString(FakeLedger.DemoPinKey));
        await using var sessions = NewSessions(logs);
        await using var session = sessions.Open();
        await session.WriteAsync(SeedFrames.Withdrawal("ATM00009", 5, 4000).AsMemory(0, 40));
        await session.CloseTerminalSideAsync();

        Assert.True(await session.EndsWithinAsync(Bound));
        AssertCountedAndLoggedOnce(sessions, logs, Rejected + "/reason=truncated_at_close", eventId: 10);
    }

    [Fact]
    public async Task A_frame_not_completed_in_time_is_counted_and_logged_once()
    {
        var logs = new RecordingLoggerProvider(SeedFrames.DemoPan, "4761739", Convert.ToHexString(FakeLedger.DemoPinKey));
        await using var sessions = NewSessions(logs);
        await using var session = sessions.Open();
        await session.WriteAsync(SeedFrames.Withdrawal("ATM00009", 5, 4000).AsMemory(0, 40));
        await Task.Delay(50);
        sessions.Time.Advance(TimeSpan.FromSeconds(6));

        Assert.True(await session.EndsWithinAsync(Bound));
        AssertCountedAndLoggedOnce(sessions, logs, Rejected + "/reason=partial_frame_timeout", eventId: 9);
    }

    [Fact]
    public async Task A_response_mti_from_a_terminal_is_counted_and_logged_once_and_not_answered()
    {
        var logs = new RecordingLoggerProvider(SeedFrames.DemoPan, "4761739", Convert.ToHexString(FakeLedger.DemoPinKey));
        await using var sessions = NewSessions(logs);
        var stray = SeedFrames.Echo("ATM00009", 1);
        stray[4] = (byte)'1'; // 0800 -> 0810
        await using var session = sessions.Open();
        await session.WriteAsync(stray);

        Assert.Equal("00", await session.EchoAsync("ATM00009", 2, Bound));
        Assert.Equal(1, sessions.Count(Rejected + "/reason=response_mti"));
        Assert.Equal(1, sessions.Count(Rejected));
        Assert.Equal(1, logs.CountOf(14));
        Assert.Empty(logs.Leaks);
    }

    [Theory]
    [InlineData("unknown terminal", "58")]
    [InlineData("missing MAC", "63")]
    public async Task A_refused_message_is_counted_by_its_response_code_and_logged_once(string refusal, string responseCode)
    {
        var logs = new RecordingLoggerProvider(SeedFrames.DemoPan, "4761739", Convert.ToHexString(FakeLedger.DemoPinKey));
        await using var sessions = NewSessions(logs);
        await using var session = sessions.Open();
        int mti;
        if (refusal == "unknown terminal")
        {
            mti = 800;
            await session.WriteAsync(SeedFrames.SignOn("ATM99999", 1));
        }
        else
        {
            mti = 200;
            await session.WriteAsync(SeedFrames.SignOn("ATM00001", 1));
            Assert.Equal((810, "00"), await session.NextResponseAsync(Bound));
            var unsigned = SeedFrames.Withdrawal("ATM00009", 2, 4000);
            "ATM00001"u8.CopyTo(unsigned.AsSpan(unsigned.AsSpan().IndexOf("ATM00009"u8)));
            await session.WriteAsync(unsigned);
        }

        Assert.Equal((mti + 10, responseCode), await session.NextResponseAsync(Bound));
        Assert.Equal(1, sessions.Count($"socketatm.messages/mti={mti}/response_code={responseCode}"));
        Assert.Equal(1, logs.CountOf(13));
        Assert.Equal(1, logs.CountAtOrAbove(LogLevel.Warning));
        Assert.Empty(logs.Leaks);
    }

    private static SessionFactory NewSessions(RecordingLoggerProvider logs) =>
        new(new ListenerOptions { MaxFrameLength = 512, PartialFrameTimeout = TimeSpan.FromSeconds(5) }, logs);

    private static void AssertCountedAndLoggedOnce(SessionFactory sessions, RecordingLoggerProvider logs, string counter, int eventId)
    {
        Assert.Equal(1, sessions.Count(counter));
        Assert.Equal(1, sessions.Count(Rejected));
        Assert.Equal(1, logs.CountOf(eventId));
        Assert.Equal(1, logs.CountAtOrAbove(LogLevel.Warning));
        Assert.Empty(logs.Leaks);
    }
}
