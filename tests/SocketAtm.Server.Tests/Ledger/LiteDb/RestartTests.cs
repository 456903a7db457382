using LiteDB;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.LiteDb;

namespace SocketAtm.Server.Tests.Ledger.LiteDb;

public class RestartTests
{
    [Fact]
    public async Task Balances_pin_tries_keys_and_the_rrn_counter_survive_a_reopen()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        var key = context.NextKey();
        var approval = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Poor, "0000", 100));

        await context.ReopenAsync();
        var repeat = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key, mti: 201));
        var duplicate = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));
        var next = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 1_000));

        Assert.Equal(approval with { IsReplay = true }, repeat);
        Assert.Equal(ResponseCodes.DuplicateTransmission, duplicate.ResponseCode);
        Assert.True(long.Parse(next.RetrievalReference!, System.Globalization.CultureInfo.InvariantCulture)
            > long.Parse(approval.RetrievalReference!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(97_000, next.LedgerBalance);
        Assert.Equal(1, (await context.BalanceOfAsync(DemoCards.Poor)).PinTries);
    }

    [Fact]
    public async Task Wrong_pins_across_a_reopen_still_block_the_card_on_the_third()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, "0000", 100));
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, "0000", 100));

        await context.ReopenAsync();
        var third = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, "0000", 100));
        await context.ReopenAsync();
        var afterBlock = await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100));

        Assert.Equal(ResponseCodes.PinTriesExceeded, third.ResponseCode);
        Assert.Equal(ResponseCodes.PinTriesExceeded, afterBlock.ResponseCode);
    }

    [Fact]
    public async Task Power_cut_after_answers_loses_nothing_answered_because_the_log_is_replayed()
    {
        var streams = new CrashConsistentStreamFactory();
        byte[] data;
        byte[] log;
        string keyEncryptionKey;
        await using (var running = new LedgerTestContext(options => options.CheckpointEveryBatches = int.MaxValue))
        {
            await running.OpenAsync(streams);
            keyEncryptionKey = await File.ReadAllTextAsync(running.Options.KeyEncryptionKeyFilePath);
            for (var i = 0; i < 5; i++)
            {
                Assert.True((await running.ExecuteAsync(running.Withdrawal(DemoCards.Rich, DemoCards.RichPin, 1_000))).IsApproved);
            }

            // The power goes: only what was synced is left, and the batches are in the log, not yet in the data file.
            (data, log) = streams.DurableImages();
            Assert.NotEmpty(log);
        }

        await using var recovered = new LedgerTestContext();
        Directory.CreateDirectory(recovered.Directory);
        await File.WriteAllBytesAsync(recovered.Options.DataFilePath, data);
        await File.WriteAllBytesAsync(recovered.Options.LogFilePath, log);
        await File.WriteAllTextAsync(recovered.Options.KeyEncryptionKeyFilePath, keyEncryptionKey);
        await recovered.OpenAsync();

        Assert.Equal(99_995_000, (await recovered.BalanceOfAsync(DemoCards.Rich)).LedgerBalance);
        Assert.Equal(5, (await recovered.BalanceOfAsync(DemoCards.Rich)).WithdrawalsToday);
    }

    [Fact]
    public async Task Database_is_left_with_liteDbs_automatic_checkpoint_off_and_its_log_folded_in()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000));
        await context.CloseAsync();

        Assert.Equal(0, new FileInfo(context.Options.LogFilePath) is { Exists: true } log ? log.Length : 0);
        using var database = new LiteDatabase($"Filename={context.Options.DataFilePath}");
        Assert.Equal(0, database.CheckpointSize);
        Assert.Equal(98_000, database.GetCollection("accounts").FindById(1L)["Balance"].AsInt64);
    }

    [Fact]
    public async Task Ledger_refuses_to_open_when_a_balance_does_not_match_its_journal()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000));
        await context.CloseAsync();
        using (var database = new LiteDatabase($"Filename={context.Options.DataFilePath}"))
        {
            var accounts = database.GetCollection("accounts");
            var account = accounts.FindById(1L);
            account["Balance"] = account["Balance"].AsInt64 + 1_000_000;
            accounts.Update(account);
        }

        var failure = await Assert.ThrowsAsync<LedgerStartupException>(() => context.OpenAsync());

        Assert.Contains("invariant", failure.Message, StringComparison.Ordinal);
        Assert.Contains("account 1 holds 1098000", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
    }

    [Fact]
    public async Task Invariant_check_reports_a_key_applied_twice()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000));
        await context.CloseAsync();
        using (var database = new LiteDatabase($"Filename={context.Options.DataFilePath}"))
        {
            var journal = database.GetCollection("journal");
            var copy = journal.FindAll().Single(entry => entry["Kind"].AsString == "Withdrawal");
            copy["_id"] = 1_000L;
            copy["Delta"] = 0L;
            journal.Insert(copy);
        }

        var failure = await Assert.ThrowsAsync<LedgerStartupException>(() => context.OpenAsync());

        Assert.Contains("was applied more than once", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ledger_whose_journal_row_lost_its_stored_outcome_is_refused_at_open_in_one_line()
    {
        await using var context = await LedgerTestContext.OpenedAsync();
        // Decided now by the clock the admin command reads: a decision older than Ledger:RepeatRetention may lose its answer.
        context.Time.SetUtcNow(DateTimeOffset.UtcNow);
        var key = context.NextKey();
        await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 2_000, key));
        await context.CloseAsync();
        Assert.Equal(0, (await AdminVerifyAsync(context.Options.DataDirectory)).Code);
        using (var database = new LiteDatabase($"Filename={context.Options.DataFilePath}"))
        {
            // What a torn log that lost only the stored-answer page leaves: the debit and its journal row, no answer.
            Assert.True(database.GetCollection("idempotency_keys").Delete(key.ToString()));
        }

        var failure = await Assert.ThrowsAsync<LedgerStartupException>(() => context.OpenAsync());
        var (verifyCode, verifyOutput) = await AdminVerifyAsync(context.Options.DataDirectory);

        Assert.Equal(2, verifyCode);
        Assert.DoesNotContain("Invariants hold.", verifyOutput, StringComparison.Ordinal);
        Assert.Contains("invariant", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"key {key} was decided in journal row", failure.Message, StringComparison.Ordinal);
        Assert.Contains("has no stored outcome", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
    }

    [Fact]
    public async Task Unusable_data_directory_fails_with_a_one_line_message_naming_it()
    {
        await using var context = new LedgerTestContext();
        Directory.CreateDirectory(Path.GetDirectoryName(context.Directory)!);
        await File.WriteAllTextAsync(context.Directory, "a file where the directory should be");
        try
        {
            var failure = await Assert.ThrowsAsync<LedgerStartupException>(() => context.OpenAsync());

            Assert.Contains(context.Directory, failure.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', failure.Message);
        }
        finally
        {
            File.Delete(context.Directory);
        }
    }

    [Fact]
    public async Task Second_ledger_on_the_same_directory_is_refused()
    {
        await using var context = await LedgerTestContext.OpenedAsync();

        var failure = await Assert.ThrowsAsync<LedgerStartupException>(
            () => LiteDbLedger.OpenAsync(context.Options, context.Time));

        Assert.Contains(context.Directory, failure.Message, StringComparison.Ordinal);
        Assert.True((await context.ExecuteAsync(context.Withdrawal(DemoCards.Active, DemoCards.ActivePin, 100))).IsApproved);
    }

    private static async Task<(int Code, string Output)> AdminVerifyAsync(string dataDirectory)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await SocketAtm.Server.Admin.AdminCommandLine.RunAsync(["--data", dataDirectory, "verify"], output, error);
        return (code, output.ToString());
    }
}
