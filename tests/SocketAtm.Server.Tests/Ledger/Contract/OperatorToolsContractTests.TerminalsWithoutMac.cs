using System.Security.Cryptography;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>The terminals without a MAC key a host off loopback names at start (they are answered 58 there unless a certificate names them).</summary>
public abstract partial class OperatorToolsContractTests
{
    [StorageFact]
    public async Task The_enabled_terminals_without_a_MAC_key_are_listed_in_order()
    {
        // The demo ledger: ATM00001–ATM00008 MAC, ATM00009–ATM00010 do not.
        Assert.Equal(["ATM00009", "ATM00010"], await Admin.ListTerminalsWithoutMacAsync(CancellationToken.None));

        await Admin.AddTerminalAsync(Registration("HCHECK01", requiresMac: false), CancellationToken.None);
        await Admin.AddTerminalAsync(Registration("OWNMAC01", requiresMac: true), CancellationToken.None);
        await Admin.SetTerminalEnabledAsync("ATM00010", enabled: false, CancellationToken.None);
        await ReopenAsync();

        Assert.Equal(["ATM00009", "HCHECK01"], await Admin.ListTerminalsWithoutMacAsync(CancellationToken.None));
    }

    private static TerminalRegistration Registration(string id, bool requiresMac) => new()
    {
        TerminalId = id,
        RequiresMac = requiresMac,
        MasterKey = RandomNumberGenerator.GetBytes(16),
        PinKey = RandomNumberGenerator.GetBytes(16),
        MacKey = RandomNumberGenerator.GetBytes(16),
    };
}
