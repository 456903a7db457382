using SocketAtm.Protocol.Security;

namespace SocketAtm.Server.Tests.Admin;

/// <summary>
/// A terminal master key enters the ledger as two or three components, from files or prompts, with every KCV shown and
/// the KCVs given checked; never as one clear key on the command line, and neither key nor component is ever printed.
/// </summary>
public sealed class TerminalKeyCeremonyTests : IDisposable
{
    private const string First = "0123456789ABCDEFFEDCBA9876543210";
    private const string Second = "1F2E3D4C5B6A79880011223344556677";
    private const string Third = "A5A5A5A55A5A5A5A0F0F0F0FF0F0F0F0";

    private readonly AdminRunner _admin = new();

    [Fact]
    public async Task Two_component_files_with_their_KCVs_make_the_TMK_and_only_KCVs_are_printed()
    {
        var run = await _admin.RunAsync(
            "add-terminal", "--id", "OWN00001", "--mac",
            "--tmk-component-file", _admin.SecretFile(First + " " + Kcv(First) + "\n"),
            "--tmk-component-file", _admin.SecretFile(Grouped(Second)));

        Assert.Equal(0, run.Code);
        var tmk = Xor(First, Second);
        Assert.Contains($"TMK component 1: KCV {Kcv(First)}", run.Output, StringComparison.Ordinal);
        Assert.Contains($"TMK component 2: KCV {Kcv(Second)}", run.Output, StringComparison.Ordinal);
        Assert.Contains($"TMK: KCV {KeyCheckValue.ToHex(tmk)}", run.Output, StringComparison.Ordinal);
        AssertShowsNoKey(run, First, Second, Convert.ToHexString(tmk));
        await using var ledger = await _admin.OpenLedgerAsync();
        var terminal = await ledger.FindTerminalAsync("OWN00001", CancellationToken.None);
        Assert.Equal(tmk, terminal!.MasterKey);
        Assert.True(terminal.RequiresMac);
    }

    [Fact]
    public async Task Three_components_typed_at_the_prompts_make_the_TMK_and_are_not_printed()
    {
        var run = await _admin.RunTypingAsync($"{First}\n{Second.ToLowerInvariant()} {Kcv(Second)}\n{Third}\n", "add-terminal", "--id", "OWN00002");

        Assert.Equal(0, run.Code);
        var tmk = Xor(First, Second, Third);
        Assert.Contains($"TMK: KCV {KeyCheckValue.ToHex(tmk)} (from 3 components)", run.Output, StringComparison.Ordinal);
        Assert.Contains("TMK component 3 (Enter if there are only 2; not shown)", run.Error, StringComparison.Ordinal);
        AssertShowsNoKey(run, First, Second, Third, Convert.ToHexString(tmk));
        await using var ledger = await _admin.OpenLedgerAsync();
        Assert.Equal(tmk, (await ledger.FindTerminalAsync("OWN00002", CancellationToken.None))!.MasterKey);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("")]
    public async Task At_the_prompts_an_empty_third_component_or_the_end_of_input_finishes_with_two(string afterSecond)
    {
        var run = await _admin.RunTypingAsync($"{First}\n{Second}\n{afterSecond}", "add-terminal", "--id", "OWN00003");

        Assert.Equal(0, run.Code);
        await using var ledger = await _admin.OpenLedgerAsync();
        Assert.Equal(Xor(First, Second), (await ledger.FindTerminalAsync("OWN00003", CancellationToken.None))!.MasterKey);
    }

    [Fact]
    public async Task A_component_whose_KCV_does_not_match_is_refused_and_nothing_is_registered()
    {
        var run = await _admin.RunAsync(
            "add-terminal", "--id", "OWN00004",
            "--tmk-component-file", _admin.SecretFile(First + " " + Kcv(Second)),
            "--tmk-component-file", _admin.SecretFile(Second));

        Assert.Equal(2, run.Code);
        Assert.Contains($"its KCV is {Kcv(First)}, not the {Kcv(Second)} given with it", run.Error, StringComparison.Ordinal);
        AssertShowsNoKey(run, First, Second);
        await AssertNotRegisteredAsync("OWN00004");
    }

    [Fact]
    public async Task Two_identical_components_are_refused()
    {
        var run = await _admin.RunAsync(
            "add-terminal", "--id", "OWN00005", "--tmk-component-file", _admin.SecretFile(First), "--tmk-component-file", _admin.SecretFile(First));

        Assert.Equal(2, run.Code);
        Assert.Contains("components 1 and 2 are identical", run.Error, StringComparison.Ordinal);
        await AssertNotRegisteredAsync("OWN00005");
    }

    [Theory]
    [InlineData(First)]
    [InlineData(First, Second, Third, "00112233445566778899AABBCCDDEEFF")]
    public async Task Fewer_than_two_or_more_than_three_component_files_are_refused(params string[] components)
    {
        var files = components.SelectMany(component => new[] { "--tmk-component-file", _admin.SecretFile(component) });

        var run = await _admin.RunAsync(["add-terminal", "--id", "OWN00006", .. files]);

        Assert.Equal(2, run.Code);
        await AssertNotRegisteredAsync("OWN00006");
    }

    [Theory]
    [InlineData("0123456789ABCDEFFEDCBA987654321")] // 31 digits
    [InlineData("0123456789ABCDEFFEDCBA98765432G0")] // not hex
    [InlineData("0123456789ABCDEF0123456789ABCDEF")] // equal halves: single-length DES
    [InlineData("00000000000000000000000000000000")]
    [InlineData("0123456789ABCDEFFEDCBA9876543210 ABC")] // a KCV of 3 digits
    public async Task A_component_that_is_not_a_double_length_key_is_refused(string component)
    {
        var run = await _admin.RunTypingAsync($"{component}\n{Second}\n", "add-terminal", "--id", "OWN00007");

        Assert.Equal(2, run.Code);
        Assert.Contains("TMK component 1", run.Error, StringComparison.Ordinal);
        await AssertNotRegisteredAsync("OWN00007");
    }

    [Fact]
    public async Task Components_that_combine_to_zero_are_refused()
    {
        var run = await _admin.RunTypingAsync($"{First}\n{Second}\n{Convert.ToHexString(Xor(First, Second))}\n", "add-terminal", "--id", "OWN00008");

        Assert.Equal(2, run.Code);
        Assert.Contains("all zeros", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clear_TMK_on_the_command_line_is_not_an_option_any_more()
    {
        var run = await _admin.RunAsync("add-terminal", "--id", "OWN00009", "--tmk", First);

        Assert.NotEqual(0, run.Code);
        await AssertNotRegisteredAsync("OWN00009");
    }

    [Fact]
    public async Task No_components_and_no_input_is_refused()
    {
        var run = await _admin.RunAsync("add-terminals", "--count", "2", "--prefix", "OWN");

        Assert.Equal(2, run.Code);
        Assert.Contains("No TMK component 1", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_keys_and_component_files_exclude_each_other()
    {
        var run = await _admin.RunAsync(
            "add-terminal", "--id", "OWN00010", "--demo-keys", "--tmk-component-file", _admin.SecretFile(First), "--tmk-component-file", _admin.SecretFile(Second));

        Assert.Equal(2, run.Code);
        await AssertNotRegisteredAsync("OWN00010");
    }

    [Fact]
    public async Task Bulk_registered_terminals_share_the_TMK_from_components_and_get_working_keys_of_their_own()
    {
        var run = await _admin.RunAsync(
            "add-terminals", "--count", "2", "--prefix", "LD",
            "--tmk-component-file", _admin.SecretFile(First), "--tmk-component-file", _admin.SecretFile(Second));
        Assert.Equal(0, run.Code);

        await using var ledger = await _admin.OpenLedgerAsync();
        var first = await ledger.FindTerminalAsync("LD000001", CancellationToken.None);
        var second = await ledger.FindTerminalAsync("LD000002", CancellationToken.None);
        Assert.Equal(Xor(First, Second), first!.MasterKey);
        Assert.Equal(Xor(First, Second), second!.MasterKey);
        Assert.NotEqual(first.PinKey, second.PinKey);
    }

    [Fact]
    public async Task Set_tmk_replaces_only_the_master_key()
    {
        Assert.Equal(0, (await _admin.RunTypingAsync($"{First}\n{Second}\n", "add-terminal", "--id", "OWN00011", "--mac")).Code);
        Assert.Equal(0, (await _admin.RunAsync("disable-terminal", "--id", "OWN00011")).Code);
        byte[] pinKey;
        await using (var before = await _admin.OpenLedgerAsync())
        {
            pinKey = (await before.FindTerminalAsync("OWN00011", CancellationToken.None))!.PinKey;
        }

        var run = await _admin.RunTypingAsync($"{Third}\n{Second}\n", "set-tmk", "--id", "OWN00011");

        Assert.Equal(0, run.Code);
        Assert.Contains($"TMK: KCV {KeyCheckValue.ToHex(Xor(Third, Second))}", run.Output, StringComparison.Ordinal);
        await using var ledger = await _admin.OpenLedgerAsync();
        var terminal = await ledger.FindTerminalAsync("OWN00011", CancellationToken.None);
        Assert.Equal(Xor(Third, Second), terminal!.MasterKey);
        Assert.Equal(pinKey, terminal.PinKey);
        Assert.True(terminal.RequiresMac);
        Assert.False(terminal.Enabled);
    }

    [Fact]
    public async Task Set_tmk_of_an_unknown_terminal_is_refused()
    {
        var run = await _admin.RunTypingAsync($"{First}\n{Second}\n", "set-tmk", "--id", "NOSUCH01");

        Assert.Equal(2, run.Code);
    }

    public void Dispose() => _admin.Dispose();

    private static string Kcv(string hex) => KeyCheckValue.ToHex(Convert.FromHexString(hex));

    private static string Grouped(string hex) => string.Join(' ', hex.Chunk(4).Select(group => new string(group)));

    private static byte[] Xor(params string[] components)
    {
        var key = new byte[16];
        foreach (var component in components.Select(Convert.FromHexString))
        {
            for (var i = 0; i < key.Length; i++)
            {
                key[i] ^= component[i];
            }
        }

        return key;
    }

    private static void AssertShowsNoKey(AdminRun run, params string[] keys)
    {
        foreach (var key in keys)
        {
            Assert.DoesNotContain(key, run.Everything, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(key[..16], run.Everything, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(key[16..], run.Everything, StringComparison.OrdinalIgnoreCase);
        }
    }

    private async Task AssertNotRegisteredAsync(string terminalId)
    {
        await using var ledger = await _admin.OpenLedgerAsync();
        Assert.Null(await ledger.FindTerminalAsync(terminalId, CancellationToken.None));
    }
}
