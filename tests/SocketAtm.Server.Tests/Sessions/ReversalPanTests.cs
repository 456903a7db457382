namespace SocketAtm.Server.Tests.Sessions;

/// <summary>
/// A reversal is matched to its original by card and amount, so it must name its card: DE 2, or the PAN of track 2
/// (DE 35) when DE 2 is absent. Without a well-formed PAN it is a format error and never reaches the ledger.
/// </summary>
public sealed class ReversalPanTests
{
    [Fact]
    public async Task A_reversal_hands_the_ledger_its_pan_from_DE_2_or_else_from_track_2()
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host);
        await host.SendAsync(DemoRequests.Reversal(4000, stan: 31, originalStan: 30));
        await host.ReceiveAsync();
        var fromTrack = DemoRequests.Reversal(4000, stan: 32, originalStan: 30);
        fromTrack.Remove(2);
        fromTrack.Set(35, DemoCards.Poor + "=28121010000000000");
        await host.SendAsync(fromTrack);
        await host.ReceiveAsync();

        Assert.Equal([DemoCards.Active, DemoCards.Poor], host.Ledger.Requests.Select(request => request.Pan));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("476173900101", null)] // 12 digits
    [InlineData(null, "476173900101=28121010000000000")] // track 2 holding 12 digits before its separator
    public async Task A_reversal_without_a_well_formed_pan_is_answered_30_and_never_reaches_the_ledger(string? pan, string? track2)
    {
        await using var host = new SessionHarness();
        await SignOnAsync(host);
        var reversal = DemoRequests.Reversal(4000, stan: 31, originalStan: 30);
        reversal.Remove(2);
        if (pan is not null)
        {
            reversal.Set(2, pan);
        }

        if (track2 is not null)
        {
            reversal.Set(35, track2);
        }

        await host.SendAsync(reversal);
        var response = await host.ReceiveAsync();

        Assert.Equal("30", response!.GetString(39));
        Assert.Empty(host.Ledger.Requests);
    }

    private static async Task SignOnAsync(SessionHarness host)
    {
        await host.SendAsync(DemoRequests.SignOn());
        Assert.Equal("00", (await host.ReceiveAsync())!.GetString(39));
    }
}
