using System.Text;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Ledger;

/// <summary>Keys are stored only encrypted under the key-encryption key, and PANs are not stored at all.</summary>
public sealed class SecretsAtRestTests
{
    private static readonly string[] DemoKeys =
    [
        "F72E4C31320DC7AA66EAEAB7FAA58FAD", "A13F766224F292F868D54D2CFAB1683A", "1146ADC3F56CFB56FF054B0FEA03B0EE", "59FC8F97BFDFF32A1121A96AB0E1A0AD",
    ];

    /// <summary>Keys a key exchange issued that are still pending: sealed under the KEK like the current ones.</summary>
    private const string PendingKey = "89ABCDEF0123456776543210FEDCBA98";

    [Fact]
    public async Task Neither_the_data_file_nor_the_log_holds_a_key_or_a_full_pan()
    {
        await using var context = await LedgerTestContext.OpenedAsync(options => options.CheckpointEveryBatches = int.MaxValue);
        Assert.True((await context.ExecuteAsync(context.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 100))).IsApproved);
        await context.Ledger.StorePendingKeysAsync("ATM00009", Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"), Convert.FromHexString("FEDCBA98765432100123456789ABCDEF"), TestKeyExchanges.Next(), CancellationToken.None);
        await context.Ledger.PromotePendingKeysAsync("ATM00009", Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"), Convert.FromHexString("FEDCBA98765432100123456789ABCDEF"), CancellationToken.None);
        await context.Ledger.StorePendingKeysAsync("ATM00009", Convert.FromHexString(PendingKey), Convert.FromHexString(PendingKey), TestKeyExchanges.Next(), CancellationToken.None);
        await context.CloseAsync();

        var stored = (await File.ReadAllBytesAsync(context.Options.DataFilePath)).Concat(File.Exists(context.Options.LogFilePath) ? await File.ReadAllBytesAsync(context.Options.LogFilePath) : []).ToArray();

        foreach (var key in DemoKeys.Append("0123456789ABCDEFFEDCBA9876543210").Append(PendingKey))
        {
            Assert.Equal(-1, IndexOf(stored, Encoding.ASCII.GetBytes(key)));
            Assert.Equal(-1, IndexOf(stored, Convert.FromHexString(key)));
        }

        foreach (var pan in new[] { DemoCards.Active, DemoCards.Rich })
        {
            Assert.Equal(-1, IndexOf(stored, Encoding.ASCII.GetBytes(pan)));
            Assert.Equal(-1, IndexOf(stored, Encoding.Unicode.GetBytes(pan)));
        }

        Assert.NotEqual(-1, IndexOf(stored, Encoding.ASCII.GetBytes("476173******0150"))); // masked form is what is kept
    }

    [Fact]
    public async Task A_ledger_opened_with_another_key_encryption_key_refuses_with_a_clear_message()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        await context.CloseAsync();
        await File.WriteAllTextAsync(context.Options.KeyEncryptionKeyFilePath, new string('7', 64));

        var refused = await Assert.ThrowsAsync<LedgerStartupException>(() => context.OpenAsync());

        Assert.Contains("key-encryption key does not open the keys", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_ledger_without_its_key_encryption_key_file_refuses_to_open()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        await context.CloseAsync();
        File.Delete(context.Options.KeyEncryptionKeyFilePath);

        var refused = await Assert.ThrowsAsync<LedgerStartupException>(() => context.OpenAsync());

        Assert.Contains("is missing", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(context.Options.KeyEncryptionKeyFilePath));
    }

    [Fact]
    public async Task A_key_encryption_key_given_in_the_options_is_used_and_no_key_file_is_written()
    {
        var key = new string('A', 64);
        await using var context = await LedgerTestContext.OpenedAsync(options => options.KeyEncryptionKey = key);
        await context.CloseAsync();

        Assert.False(File.Exists(context.Options.KeyEncryptionKeyFilePath));
        await context.OpenAsync();
        Assert.NotNull(await context.Ledger.FindTerminalAsync("ATM00001", CancellationToken.None));
    }

    [Fact]
    public async Task Promoted_keys_keep_the_previous_keys_for_the_overlap_and_they_survive_a_reopen()
    {
        await using var context = await LedgerTestContext.OpenedAsync(options => options.KeyOverlap = TimeSpan.FromSeconds(90));
        var before = (await context.Ledger.FindTerminalAsync("ATM00009", CancellationToken.None))!;
        await context.Ledger.StorePendingKeysAsync("ATM00009", Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"), Convert.FromHexString("FEDCBA98765432100123456789ABCDEF"), TestKeyExchanges.Next(), CancellationToken.None);
        await context.Ledger.PromotePendingKeysAsync("ATM00009", Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"), Convert.FromHexString("FEDCBA98765432100123456789ABCDEF"), CancellationToken.None);
        await context.ReopenAsync();

        var after = (await context.Ledger.FindTerminalAsync("ATM00009", CancellationToken.None))!;

        Assert.Equal(before.PinKey, after.PreviousKeys!.PinKey);
        Assert.Equal(before.MacKey, after.PreviousKeys.MacKey);
        Assert.NotNull(after.PreviousKeysAt(context.Time.GetUtcNow().AddSeconds(89)));
        Assert.Null(after.PreviousKeysAt(context.Time.GetUtcNow().AddSeconds(91)));
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
