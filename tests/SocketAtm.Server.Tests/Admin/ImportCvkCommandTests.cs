using SocketAtm.Protocol.Security;
using SocketAtm.Server.Admin;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.LiteDb;

namespace SocketAtm.Server.Tests.Admin;

/// <summary>
/// <c>admin import-cvk</c> takes the CVK pair as 2 or 3 components from files, shows every KCV and checks each against the
/// one given, and stores the XOR of the components only when all match; <c>admin add-card --service-code</c> gives a card
/// the service code its track 2 carries.
/// </summary>
public sealed class ImportCvkCommandTests : IDisposable
{
    private const string ComponentA = "0123456789ABCDEF1032547698BADCFE";
    private const string ComponentB = "FEDCBA9876543210F0E1D2C3B4A59687";
    private const string ComponentC = "1111111111111111222222222222222F";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "socketatm-cvk-" + Guid.NewGuid().ToString("N"));
    private readonly string _components = Path.Combine(Path.GetTempPath(), "socketatm-cvk-components-" + Guid.NewGuid().ToString("N"));

    public ImportCvkCommandTests() => Directory.CreateDirectory(_components);

    [Fact]
    public async Task Three_components_with_their_KCVs_make_the_CVK_which_replaces_the_demo_CVK()
    {
        var key = Xor(ComponentA, ComponentB, ComponentC);

        var (code, output) = await RunAsync(
            "import-cvk",
            "--component", Write("a.txt", "0123 4567 89AB CDEF\n1032-5476-98BA-DCFE\n"), "--component-kcv", Kcv(ComponentA),
            "--component", Write("b.txt", ComponentB), "--component-kcv", Kcv(ComponentB).ToLowerInvariant(),
            "--component", Write("c.txt", ComponentC), "--component-kcv", Kcv(ComponentC),
            "--kcv", KeyCheckValue.ToHex(key));

        Assert.Equal(0, code);
        Assert.Contains("Component 1: KCV " + Kcv(ComponentA), output, StringComparison.Ordinal);
        Assert.Contains("Component 3: KCV " + Kcv(ComponentC), output, StringComparison.Ordinal);
        Assert.Contains("CVK pair: KCV " + KeyCheckValue.ToHex(key), output, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(key), output, StringComparison.Ordinal);
        Assert.DoesNotContain(ComponentB, output, StringComparison.Ordinal);
        Assert.Equal(key, await StoredCvkAsync());
    }

    [Theory]
    [InlineData("component-kcv")] // a component's KCV is not the one given
    [InlineData("kcv")] // the key's KCV is not the one given
    [InlineData("one")] // a single component
    [InlineData("same")] // the same component twice: they would cancel out
    [InlineData("short")] // a component file that is not 32 hex digits
    [InlineData("missing-kcv")] // fewer component KCVs than components
    [InlineData("equal-halves")] // a component that is a single-length key twice
    public async Task Anything_that_does_not_check_is_refused_with_exit_code_2_and_the_demo_CVK_stays(string fault)
    {
        var key = Xor(ComponentA, ComponentB);
        var a = Write("a.txt", ComponentA);
        var b = Write("b.txt", fault switch { "short" => ComponentB[..30], "equal-halves" => ComponentB[..16] + ComponentB[..16], _ => ComponentB });
        string[] args = fault switch
        {
            "component-kcv" => ["--component", a, "--component-kcv", Kcv(ComponentA), "--component", b, "--component-kcv", Kcv(ComponentC), "--kcv", KeyCheckValue.ToHex(key)],
            "kcv" => ["--component", a, "--component-kcv", Kcv(ComponentA), "--component", b, "--component-kcv", Kcv(ComponentB), "--kcv", Kcv(ComponentC)],
            "one" => ["--component", a, "--component-kcv", Kcv(ComponentA), "--kcv", Kcv(ComponentA)],
            "same" => ["--component", a, "--component-kcv", Kcv(ComponentA), "--component", a, "--component-kcv", Kcv(ComponentA), "--kcv", "000000"],
            "missing-kcv" => ["--component", a, "--component-kcv", Kcv(ComponentA), "--component", b, "--kcv", KeyCheckValue.ToHex(key)],
            _ => ["--component", a, "--component-kcv", Kcv(ComponentA), "--component", b, "--component-kcv", Kcv(ComponentB), "--kcv", KeyCheckValue.ToHex(key)],
        };

        var (code, _) = await RunAsync(["import-cvk", .. args]);

        Assert.Equal(2, code);
        Assert.Equal(DemoKeys.CardVerificationKey, await StoredCvkAsync());
    }

    [Fact]
    public async Task A_card_added_with_a_service_code_keeps_it_and_one_added_without_gets_101()
    {
        var (chip, _) = await RunAsync("add-card", "--pan", "4000001234567899", "--pin", "9999", "--expiry", "3012", "--service-code", "201");
        var (plain, _) = await RunAsync("add-card", "--pan", "4000001234567881", "--pin", "9999", "--expiry", "3012");
        var (bad, _) = await RunAsync("add-card", "--pan", "4000001234567873", "--pin", "9999", "--expiry", "3012", "--service-code", "2O1");

        Assert.Equal([0, 0, 2], new[] { chip, plain, bad });
        await using var ledger = await LiteDbLedger.OpenAsync(new LedgerOptions { DataDirectory = _data }, TimeProvider.System);
        var track = new Track2Evidence(PanMatches: true, CvvVerified: true, Expiry: 3012, ServiceCode: 201);
        var request = new LedgerRequest
        {
            Kind = TransactionKind.BalanceInquiry,
            Key = new RequestKey("00000000000", "ATM00009", 1, "0101000000"),
            Mti = 200,
            Pan = "4000001234567899",
            HasPinBlock = true,
            Track2 = track,
            ReceivedAt = DateTimeOffset.UtcNow,
        };

        // Service code 201 on file: the track passes to the PIN (none here: 55); the other card's 101 refuses it (59).
        Assert.Equal(ResponseCodes.IncorrectPin, (await ledger.ExecuteAsync(request, CancellationToken.None)).ResponseCode);
        Assert.Equal(ResponseCodes.SuspectedFraud, (await ledger.ExecuteAsync(request with { Pan = "4000001234567881", Key = request.Key with { Stan = 2 } }, CancellationToken.None)).ResponseCode);
    }

    public void Dispose()
    {
        foreach (var directory in new[] { _data, _components })
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_components, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Kcv(string hex) => KeyCheckValue.ToHex(Convert.FromHexString(hex));

    private static byte[] Xor(params string[] components)
    {
        var key = new byte[16];
        foreach (var component in components)
        {
            var bytes = Convert.FromHexString(component);
            for (var i = 0; i < key.Length; i++)
            {
                key[i] ^= bytes[i];
            }
        }

        return key;
    }

    private async Task<byte[]> StoredCvkAsync()
    {
        await using var ledger = await LiteDbLedger.OpenAsync(new LedgerOptions { DataDirectory = _data }, TimeProvider.System);
        return (await ledger.GetCardVerificationKeyAsync(CancellationToken.None)).Key;
    }

    private async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminCommandLine.RunAsync(["--data", _data, .. args], output, error);
        return (code, output.ToString());
    }
}
