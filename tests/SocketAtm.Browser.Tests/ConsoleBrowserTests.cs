using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SocketAtm.Client;
using SocketAtm.Protocol.Vocabulary;
using SocketAtm.Server.Operations;

namespace SocketAtm.Browser.Tests;

/// <summary>
/// The operations console as an operator sees it, in a real browser (Debian's headless Chromium) against a real host under a
/// small load: refused without the credential (401, with the sign-in form); signed in, the terminals signed on, a rate above zero, and a scripted decline
/// listed by its reason. Leaves a screenshot (and, with SOCKETATM_CONSOLE_SCREENSHOT=path, one at that path: README's).
/// </summary>
public sealed class ConsoleBrowserTests
{
    private const string Token = "browser-test-operator-token-0123456789";
    private static readonly string[] LoadTerminals = ["ATM00001", "ATM00002", "ATM00009"];
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [ChromiumFact]
    public async Task An_operator_sees_terminals_a_live_rate_and_declines_by_reason_and_a_stranger_is_refused()
    {
        await using var host = await RunningHost.StartAsync(null, $"--Operations:Token={Token}");
        var console = new Uri(host.Services.GetRequiredService<OperationsServer>().BoundAddress!, "/console/");
        await using var chromium = await HeadlessChromium.LaunchAsync();

        // A stranger: no credential, no console — the sign-in page instead, a wrong token refused there, and the live feed 401.
        await using (var stranger = await chromium.Browser.NewContextAsync())
        {
            var page = await stranger.NewPageAsync();
            var refused = await page.GotoAsync(console.ToString());
            Assert.Equal(401, refused!.Status);
            await Assertions.Expect(page.Locator("#token")).ToBeVisibleAsync();
            Assert.Equal(0, await page.Locator("#terminals-signed-on").CountAsync());
            await page.FillAsync("#token", "not-the-operator-token-at-all");
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("not the operator token");
            Assert.Equal(0, await page.Locator("#terminals-signed-on").CountAsync());
            var events = await stranger.APIRequest.GetAsync(new Uri(console, "events").ToString());
            Assert.Equal(401, events.Status);
        }

        await using var load = await ConsoleLoad.StartAsync(host.EndPoint.Port, LoadTerminals);
        await using (var decliner = await AtmTerminalClient.ConnectAsync(
            new TerminalConnectionOptions { Port = host.EndPoint.Port }, new TerminalClientOptions { TerminalId = "ATM00003" }))
        {
            var declined = Assert.IsType<TransactionDeclined>(await decliner.WithdrawAsync(DemoCards.Poor, DemoCards.PoorPin, amount: 40_000));
            Assert.Equal(ResponseCodes.InsufficientFunds, declined.ResponseCode);
        }

        // The operator signs in on the page the console sends them to, and comes back to the console with a session cookie.
        await using var operatorContext = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1440, Height = 960 },
        });
        var console_ = await operatorContext.NewPageAsync();
        await console_.GotoAsync(console.ToString());
        await console_.FillAsync("#token", Token);
        await console_.ClickAsync("button[type=submit]");
        await console_.WaitForURLAsync(console.ToString());

        var assertions = Assertions.Expect(console_.Locator("#feed-state"));
        await assertions.ToHaveTextAsync("live", new() { Timeout = (float)Patience.TotalMilliseconds });
        await Assertions.Expect(console_.Locator("#terminals-signed-on"))
            .ToHaveTextAsync(LoadTerminals.Length.ToString(CultureInfo.InvariantCulture), new() { Timeout = (float)Patience.TotalMilliseconds });
        await Assertions.Expect(console_.Locator("#tps")).ToHaveTextAsync(new Regex("^(?!0$)[0-9.,]+$"), new() { Timeout = (float)Patience.TotalMilliseconds });
        var decline = console_.Locator("#declines tr[data-code='51']");
        await Assertions.Expect(decline).ToContainTextAsync("Insufficient funds", new() { Timeout = (float)Patience.TotalMilliseconds });
        await Assertions.Expect(console_.Locator("#terminals tr[data-terminal='ATM00001']")).ToContainTextAsync("signed on");

        // What the page holds is codes, counts and ids: never a card number.
        Assert.DoesNotContain(DemoCards.Poor, await console_.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(DemoCards.Rich, await console_.ContentAsync(), StringComparison.Ordinal);
        Assert.True(load.Approved > 0);

        await File.WriteAllBytesAsync(
            Path.Combine(AppContext.BaseDirectory, "console.png"), await console_.ScreenshotAsync(new PageScreenshotOptions { FullPage = true }));
        if (Environment.GetEnvironmentVariable("SOCKETATM_CONSOLE_SCREENSHOT") is { Length: > 0 } readmeShot)
        {
            // README's picture: half a minute of the load in the charts, not the first seconds.
            await Task.Delay(TimeSpan.FromSeconds(30));
            await File.WriteAllBytesAsync(readmeShot, await console_.ScreenshotAsync(new PageScreenshotOptions { FullPage = true }));
        }
    }
}
