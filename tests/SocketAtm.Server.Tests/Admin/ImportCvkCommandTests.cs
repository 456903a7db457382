using SocketAtm.Protocol.Security;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Admin;

/// <summary>
/// <c>admin import-cvk</c> takes the CVK pair as 2 or 3 components (files or prompts, as every key ceremony), shows every
/// KCV, checks the ones given, and stores the XOR of the components only when all match; <c>admin add-card
/// --service-code</c> gives a card the service code its track 2 carries.
/// </summary>
public sealed class ImportCvkCommandTests : IDisposable
{
    private const string ComponentA = "0123456789ABCDEF1032547698BADCFE";
    private const string ComponentB = "FEDCBA9876543210F0E1D2C3B4A59687";
    private const string ComponentC = "1111111111111111222222222222222F";

    private readonly AdminRunner _admin = new();

    [Fact]
    public async Task Three_component_files_with_their_KCVs_make_the_CVK_which_replaces_the_demo_CVK()
    {
        var key = Xor(ComponentA, ComponentB, ComponentC);

        var run = await _admin.RunAsync(
            "import-cvk",
            "--cvk-component-file", _admin.SecretFile($"0123 4567 89AB CDEF\n1032 5476 98BA DCFE {Kcv(ComponentA)}\n"),
            "--cvk-component-file", _admin.SecretFile($"{ComponentB} {Kcv(ComponentB).ToLowerInvariant()}"),
            "--cvk-component-file", _admin.SecretFile(ComponentC),
            "--kcv", KeyCheckValue.ToHex(key));

        Assert.Equal(0, run.Code);
        Assert.Contains("CVK component 1: KCV " + Kcv(ComponentA), run.Output, StringComparison.Ordinal);
        Assert.Contains("CVK component 3: KCV " + Kcv(ComponentC), run.Output, StringComparison.Ordinal);
        Assert.Contains("CVK: KCV " + KeyCheckValue.ToHex(key), run.Output, StringComparison.Ordinal);
        foreach (var secret in new[] { Convert.ToHexString(key), ComponentA, ComponentB, ComponentC })
        {
            Assert.DoesNotContain(secret, run.Everything, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(key, await StoredCvkAsync());
    }

    [Fact]
    public async Task Components_typed_at_the_prompts_make_the_CVK()
    {
        var run = await _admin.RunTypingAsync($"{ComponentA}\n{ComponentB}\n\n", "import-cvk");

        Assert.Equal(0, run.Code);
        Assert.Equal(Xor(ComponentA, ComponentB), await StoredCvkAsync());
    }

    [Theory]
    [InlineData("component-kcv")] // a component's KCV is not the one given with it
    [InlineData("kcv")] // the key's KCV is not the one given
    [InlineData("one")] // a single component
    [InlineData("same")] // the same component twice: they would cancel out
    [InlineData("short")] // a component file that is not 32 hex digits
    [InlineData("equal-halves")] // a component that is a single-length key twice
    public async Task Anything_that_does_not_check_is_refused_with_exit_code_2_and_the_demo_CVK_stays(string fault)
    {
        var key = Xor(ComponentA, ComponentB);
        var a = _admin.SecretFile(ComponentA);
        var b = _admin.SecretFile(fault switch
        {
            "short" => ComponentB[..30],
            "equal-halves" => ComponentB[..16] + ComponentB[..16],
            "component-kcv" => $"{ComponentB} {Kcv(ComponentC)}",
            _ => ComponentB,
        });
        string[] args = fault switch
        {
            "kcv" => ["--cvk-component-file", a, "--cvk-component-file", b, "--kcv", Kcv(ComponentC)],
            "one" => ["--cvk-component-file", a],
            "same" => ["--cvk-component-file", a, "--cvk-component-file", a],
            _ => ["--cvk-component-file", a, "--cvk-component-file", b, "--kcv", KeyCheckValue.ToHex(key)],
        };

        var run = await _admin.RunAsync(["import-cvk", .. args]);

        Assert.Equal(2, run.Code);
        Assert.Equal(DemoKeys.CardVerificationKey, await StoredCvkAsync());
    }

    [Fact]
    public async Task A_card_added_with_a_service_code_keeps_it_and_one_added_without_gets_101()
    {
        var pin = _admin.SecretFile("9999");
        var chip = await _admin.RunAsync("add-card", "--pan", "4000001234567899", "--pin-file", pin, "--expiry", "3012", "--service-code", "201");
        var plain = await _admin.RunAsync("add-card", "--pan", "4000001234567881", "--pin-file", pin, "--expiry", "3012");
        var bad = await _admin.RunAsync("add-card", "--pan", "4000001234567873", "--pin-file", pin, "--expiry", "3012", "--service-code", "2O1");

        Assert.Equal([0, 0, 2], new[] { chip.Code, plain.Code, bad.Code });
        await using var ledger = await _admin.OpenLedgerAsync();
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

    public void Dispose() => _admin.Dispose();

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
        await using var ledger = await _admin.OpenLedgerAsync();
        return (await ledger.GetCardVerificationKeyAsync(CancellationToken.None)).Key;
    }
}
