namespace SocketAtm.Server.Tests.Admin;

/// <summary>
/// <c>add-terminal</c> and <c>add-terminals</c> never replace a registered terminal (and so its keys) by mistake: an id
/// already registered is refused with exit 2 and one line, before any component is asked for, unless <c>--replace</c>.
/// </summary>
public sealed class TerminalReplacementTests : IDisposable
{
    private const string First = "0123456789ABCDEFFEDCBA9876543210";
    private const string Second = "1F2E3D4C5B6A79880011223344556677";

    private readonly AdminRunner _admin = new();

    [Fact]
    public async Task Adding_a_registered_id_is_refused_before_the_components_are_asked_for_and_keeps_its_keys()
    {
        var run = await _admin.RunTypingAsync($"{First}\n{Second}\n", "add-terminal", "--id", "ATM00009");

        Assert.Equal(2, run.Code);
        Assert.Contains("socketatm admin: Terminal ATM00009 is already registered; nothing was changed. Give --replace", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("TMK component", run.Everything, StringComparison.Ordinal);
        await using var ledger = await _admin.OpenLedgerAsync();
        var terminal = await ledger.FindTerminalAsync("ATM00009", CancellationToken.None);
        Assert.Equal(DemoKeys.MasterKey, terminal!.MasterKey);
        Assert.Equal(DemoKeys.PinKey, terminal.PinKey);
    }

    [Fact]
    public async Task With_replace_the_registered_terminal_gets_the_new_master_key_and_new_working_keys()
    {
        var run = await _admin.RunTypingAsync($"{First}\n{Second}\n", "add-terminal", "--id", "ATM00009", "--replace");

        Assert.Equal(0, run.Code);
        Assert.Contains("Terminal ATM00009 registered (any terminal of that id replaced, keys and all).", run.Output, StringComparison.Ordinal);
        await using var ledger = await _admin.OpenLedgerAsync();
        var terminal = await ledger.FindTerminalAsync("ATM00009", CancellationToken.None);
        Assert.Equal(Xor(First, Second), terminal!.MasterKey);
        Assert.NotEqual(DemoKeys.PinKey, terminal.PinKey);
    }

    [Fact]
    public async Task A_new_id_needs_no_replace()
    {
        Assert.Equal(0, (await _admin.RunTypingAsync($"{First}\n{Second}\n", "add-terminal", "--id", "OWN00001", "--replace")).Code);
        var again = await _admin.RunTypingAsync($"{Second}\n{First}\n", "add-terminal", "--id", "OWN00001");

        Assert.Equal(2, again.Code);
        await using var ledger = await _admin.OpenLedgerAsync();
        Assert.Equal(Xor(First, Second), (await ledger.FindTerminalAsync("OWN00001", CancellationToken.None))!.MasterKey);
    }

    [Fact]
    public async Task A_bulk_registration_overlapping_registered_ids_registers_none_of_them_unless_to_replace_them()
    {
        Assert.Equal(0, (await _admin.RunAsync("add-terminals", "--count", "2", "--prefix", "OWN", "--first", "2", "--demo-keys")).Code);

        var refused = await _admin.RunAsync("add-terminals", "--count", "4", "--prefix", "OWN", "--demo-keys");

        Assert.Equal(2, refused.Code);
        Assert.Contains("2 of the terminals are already registered (OWN00002, OWN00003); nothing was changed.", refused.Error, StringComparison.Ordinal);
        await using (var ledger = await _admin.OpenLedgerAsync())
        {
            Assert.Null(await ledger.FindTerminalAsync("OWN00001", CancellationToken.None));
            Assert.Null(await ledger.FindTerminalAsync("OWN00004", CancellationToken.None));
        }

        Assert.Equal(0, (await _admin.RunAsync("add-terminals", "--count", "4", "--prefix", "OWN", "--demo-keys", "--replace")).Code);
        await using var replaced = await _admin.OpenLedgerAsync();
        Assert.NotNull(await replaced.FindTerminalAsync("OWN00004", CancellationToken.None));
    }

    public void Dispose() => _admin.Dispose();

    private static byte[] Xor(string first, string second)
    {
        var key = Convert.FromHexString(first);
        var other = Convert.FromHexString(second);
        for (var i = 0; i < key.Length; i++)
        {
            key[i] ^= other[i];
        }

        return key;
    }
}
