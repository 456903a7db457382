namespace SocketAtm.Server.Tests.Admin;

/// <summary><c>admin disable-terminal</c> and <c>enable-terminal</c> on the ledger a host then opens.</summary>
public sealed class TerminalStateCommandTests : IDisposable
{
    private readonly AdminRunner _admin = new();

    [Fact]
    public async Task A_disabled_terminal_stays_disabled_with_its_keys_until_enabled_again()
    {
        var disable = await _admin.RunAsync("disable-terminal", "--id", "ATM00009");
        Assert.Equal(0, disable.Code);
        Assert.Contains("ATM00009 is disabled", disable.Output, StringComparison.Ordinal);
        await using (var ledger = await _admin.OpenLedgerAsync())
        {
            var terminal = await ledger.FindTerminalAsync("ATM00009", CancellationToken.None);
            Assert.False(terminal!.Enabled);
            Assert.Equal(DemoKeys.PinKey, terminal.PinKey);
            Assert.True((await ledger.FindTerminalAsync("ATM00010", CancellationToken.None))!.Enabled);
        }

        var enable = await _admin.RunAsync("enable-terminal", "--id", "ATM00009");

        Assert.Equal(0, enable.Code);
        await using var reopened = await _admin.OpenLedgerAsync();
        Assert.True((await reopened.FindTerminalAsync("ATM00009", CancellationToken.None))!.Enabled);
    }

    [Theory]
    [InlineData("disable-terminal")]
    [InlineData("enable-terminal")]
    public async Task An_unknown_terminal_is_refused(string command)
    {
        var run = await _admin.RunAsync(command, "--id", "NOSUCH01");

        Assert.Equal(2, run.Code);
        Assert.Contains("NOSUCH01 is not registered", run.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _admin.Dispose();
}
