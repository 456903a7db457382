using SocketAtm.Protocol.Vocabulary;
using SocketAtm.Server.Admin;

namespace SocketAtm.EndToEnd.Tests;

/// <summary>
/// What the operator's tools do, seen by a terminal over a real socket: a PVK imported as components under PVKI 2 issues
/// new cards whose PINs verify beside the older cards of PVKI 1, and a disabled terminal is answered 58.
/// </summary>
public sealed class OperatorToolsTests : IDisposable
{
    private const string NewPan = "4000001234567899";
    private const string NewPin = "2468";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "socketatm-e2e-operator-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_card_issued_under_an_imported_PVKI_2_verifies_its_PIN_beside_the_cards_of_PVKI_1()
    {
        Assert.Equal(0, await AdminAsync("0123456789ABCDEFFEDCBA9876543210\n1F2E3D4C5B6A79880011223344556677\n\n", "import-pvk", "--pvki", "2"));
        Assert.Equal(0, await AdminAsync(NewPin + "\n", "add-card", "--pan", NewPan, "--expiry", "3012", "--balance", "100.00"));
        await using var host = await RunningHost.StartAsync(_data);
        await using var atm = await TestTerminal.ConnectAsync(host.EndPoint);

        var newCard = await atm.ExchangeAsync(atm.Withdrawal(2_000, TestTerminal.NextStan(), NewPan, NewPin));
        var wrongPin = await atm.ExchangeAsync(atm.Withdrawal(2_000, TestTerminal.NextStan(), NewPan, "1357"));
        var olderCard = await atm.ExchangeAsync(atm.Withdrawal(2_000, TestTerminal.NextStan(), DemoCards.Active, DemoCards.ActivePin));

        Assert.Equal(ResponseCodes.Approved, newCard.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.IncorrectPin, wrongPin.GetString(DataElements.ResponseCode));
        Assert.Equal(ResponseCodes.Approved, olderCard.GetString(DataElements.ResponseCode));
    }

    [Fact]
    public async Task A_disabled_terminal_is_answered_58_and_an_enabled_one_signs_on()
    {
        Assert.Equal(0, await AdminAsync(string.Empty, "disable-terminal", "--id", "ATM00010"));
        await using var host = await RunningHost.StartAsync(_data);

        await using var disabled = await TestTerminal.ConnectAsync(host.EndPoint, "ATM00010", signOn: false);
        var refused = await disabled.ExchangeAsync(disabled.NetworkManagement(TestTerminal.NextStan(), "001"));
        await using var enabled = await TestTerminal.ConnectAsync(host.EndPoint, "ATM00009");

        Assert.Equal(ResponseCodes.NotPermittedToTerminal, refused.GetString(DataElements.ResponseCode));
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private async Task<int> AdminAsync(string typed, params string[] args)
    {
        using var input = new StringReader(typed);
        return await AdminCommandLine.RunAsync(["--data", _data, .. args], new AdminConsole(TextWriter.Null, TextWriter.Null, SecretInput.From(input)));
    }
}
