using System.Security.Cryptography;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>
/// The operator's writes (terminal state, master keys), run against every store: each derived class opens its own kind
/// of ledger on the demo data.
/// </summary>
public abstract partial class OperatorToolsContractTests : IAsyncLifetime
{
    private ILedger? _ledger;

    internal LedgerTestContext Context { get; } = new();

    internal ILedger Ledger => _ledger ?? throw new InvalidOperationException("The ledger is not open.");

    internal ILedgerAdmin Admin => (ILedgerAdmin)Ledger;

    /// <summary>Opens the implementation under test on the context's options and clock (a new, seeded ledger the first time).</summary>
    internal abstract Task<ILedger> OpenLedgerAsync(LedgerTestContext context);

    public async Task InitializeAsync() => _ledger = await OpenLedgerAsync(Context);

    public async Task DisposeAsync()
    {
        if (_ledger is not null)
        {
            await _ledger.DisposeAsync();
        }

        await Context.DisposeAsync();
    }

    [StorageFact]
    public async Task A_disabled_terminal_is_seen_disabled_at_once_and_after_a_reopen_with_its_keys_kept()
    {
        var before = await Ledger.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None);

        await Admin.SetTerminalEnabledAsync(LedgerTestContext.Terminal, enabled: false, CancellationToken.None);

        var disabled = await Ledger.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None);
        Assert.False(disabled!.Enabled);
        Assert.True(disabled.KeyVersion > before!.KeyVersion);
        await ReopenAsync();
        var reopened = await Ledger.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None);
        Assert.False(reopened!.Enabled);
        Assert.Equal(before.PinKey, reopened.PinKey);
        Assert.Equal(before.MasterKey, reopened.MasterKey);
        Assert.Equal(before.RequiresMac, reopened.RequiresMac);
        Assert.True((await Ledger.FindTerminalAsync("ATM00010", CancellationToken.None))!.Enabled);
    }

    [StorageFact]
    public async Task An_enabled_terminal_transacts_again()
    {
        await Admin.SetTerminalEnabledAsync(LedgerTestContext.Terminal, enabled: false, CancellationToken.None);

        await Admin.SetTerminalEnabledAsync(LedgerTestContext.Terminal, enabled: true, CancellationToken.None);
        await ReopenAsync();

        Assert.True((await Ledger.FindTerminalAsync(LedgerTestContext.Terminal, CancellationToken.None))!.Enabled);
    }

    [StorageFact]
    public async Task Enabling_or_disabling_an_unknown_terminal_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Admin.SetTerminalEnabledAsync("NOSUCH01", enabled: false, CancellationToken.None));
        Assert.Null(await Ledger.FindTerminalAsync("NOSUCH01", CancellationToken.None));
    }

    [StorageFact]
    public async Task A_new_master_key_keeps_the_working_keys_state_and_MAC_requirement()
    {
        var before = await Ledger.FindTerminalAsync("ATM00001", CancellationToken.None);
        await Admin.SetTerminalEnabledAsync("ATM00001", enabled: false, CancellationToken.None);
        var masterKey = RandomNumberGenerator.GetBytes(16);

        await Admin.SetTerminalMasterKeyAsync("ATM00001", masterKey, CancellationToken.None);
        await ReopenAsync();

        var after = await Ledger.FindTerminalAsync("ATM00001", CancellationToken.None);
        Assert.Equal(masterKey, after!.MasterKey);
        Assert.Equal(before!.PinKey, after.PinKey);
        Assert.Equal(before.MacKey, after.MacKey);
        Assert.True(after.RequiresMac);
        Assert.False(after.Enabled);
        await Assert.ThrowsAsync<ArgumentException>(() => Admin.SetTerminalMasterKeyAsync("NOSUCH01", masterKey, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Admin.SetTerminalMasterKeyAsync("ATM00001", new byte[8], CancellationToken.None));
    }

    [StorageFact]
    public async Task Registering_an_id_already_registered_is_refused_and_changes_nothing_unless_it_is_to_replace_it()
    {
        var before = await Ledger.FindTerminalAsync("ATM00001", CancellationToken.None);
        var registration = new TerminalRegistration
        {
            TerminalId = "ATM00001", MasterKey = RandomNumberGenerator.GetBytes(16), PinKey = RandomNumberGenerator.GetBytes(16), MacKey = RandomNumberGenerator.GetBytes(16),
        };

        var refused = await Assert.ThrowsAsync<TerminalAlreadyRegisteredException>(() => Admin.AddTerminalAsync(registration, CancellationToken.None));

        Assert.Equal("ATM00001", refused.TerminalId);
        await ReopenAsync();
        var kept = await Ledger.FindTerminalAsync("ATM00001", CancellationToken.None);
        Assert.Equal(before!.MasterKey, kept!.MasterKey);
        Assert.Equal(before.PinKey, kept.PinKey);
        Assert.Equal(before.MacKey, kept.MacKey);
        Assert.True(kept.RequiresMac);

        await Admin.AddTerminalAsync(new TerminalRegistration
        {
            TerminalId = registration.TerminalId, MasterKey = registration.MasterKey, PinKey = registration.PinKey, MacKey = registration.MacKey, ReplaceExisting = true,
        }, CancellationToken.None);
        await ReopenAsync();
        var replaced = await Ledger.FindTerminalAsync("ATM00001", CancellationToken.None);
        Assert.Equal(registration.MasterKey, replaced!.MasterKey);
        Assert.Equal(registration.PinKey, replaced.PinKey);
        Assert.False(replaced.RequiresMac);
        Assert.True(replaced.KeyVersion > kept.KeyVersion);
        Assert.Equal(["ATM00010", "ATM00001"], await Admin.FindRegisteredTerminalsAsync(["NOSUCH01", "ATM00010", "ATM00001"], CancellationToken.None));
    }

    /// <summary>Closes the ledger and opens it again on the same storage, as a host's next start does.</summary>
    internal async Task ReopenAsync()
    {
        await Ledger.DisposeAsync();
        _ledger = null;
        _ledger = await OpenLedgerAsync(Context);
    }
}
