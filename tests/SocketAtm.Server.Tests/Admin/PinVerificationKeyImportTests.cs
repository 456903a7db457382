using SocketAtm.Protocol.Security;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Admin;

/// <summary><c>admin import-pvk</c> and <c>list-pvks</c>: a PVK as components under a PVKI, KCVs shown, never the key.</summary>
public sealed class PinVerificationKeyImportTests : IDisposable
{
    private const string First = "0123456789ABCDEFFEDCBA9876543210";
    private const string Second = "1F2E3D4C5B6A79880011223344556677";

    private readonly AdminRunner _admin = new();

    [Fact]
    public async Task A_PVK_imported_from_component_files_issues_new_cards_and_only_KCVs_are_printed()
    {
        var pvk = Convert.FromHexString(First);
        for (var i = 0; i < pvk.Length; i++)
        {
            pvk[i] ^= Convert.FromHexString(Second)[i];
        }

        var run = await _admin.RunAsync(
            "import-pvk", "--pvki", "2",
            "--pvk-component-file", _admin.SecretFile($"{First} {Kcv(First)}"), "--pvk-component-file", _admin.SecretFile($"{Second} {Kcv(Second)}"));

        Assert.Equal(0, run.Code);
        Assert.Contains($"PVK component 1: KCV {Kcv(First)}", run.Output, StringComparison.Ordinal);
        Assert.Contains($"PVK component 2: KCV {Kcv(Second)}", run.Output, StringComparison.Ordinal);
        Assert.Contains($"PVK: KCV {KeyCheckValue.ToHex(pvk)}", run.Output, StringComparison.Ordinal);
        Assert.Contains($"   2  {KeyCheckValue.ToHex(pvk)}      0  new cards are issued under it", run.Output, StringComparison.Ordinal);
        Assert.Contains($"   1  {KeyCheckValue.ToHex(DemoData.PinVerificationKey.Key)}      5", run.Output, StringComparison.Ordinal);
        foreach (var secret in new[] { First, Second, Convert.ToHexString(pvk) })
        {
            Assert.DoesNotContain(secret, run.Everything, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(0, (await _admin.RunAsync("add-card", "--pan", "4000001234567899", "--pin-file", _admin.SecretFile("2468"), "--expiry", "3012")).Code);
        var list = await _admin.RunAsync("list-pvks");
        Assert.Contains($"   2  {KeyCheckValue.ToHex(pvk)}      1  new cards are issued under it", list.Output, StringComparison.Ordinal);
        await using var ledger = await _admin.OpenLedgerAsync();
        var issuing = await ledger.GetPinVerificationKeyAsync(CancellationToken.None);
        Assert.Equal(2, issuing.Index);
        Assert.Equal(pvk, issuing.Key);
    }

    [Fact]
    public async Task A_PVKI_whose_cards_use_another_key_is_refused()
    {
        var run = await _admin.RunTypingAsync($"{First}\n{Second}\n", "import-pvk", "--pvki", "1");

        Assert.Equal(2, run.Code);
        Assert.Contains("PVKI 1 holds another PVK", run.Error, StringComparison.Ordinal);
        Assert.Contains("5 cards", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("-1")]
    public async Task A_PVKI_that_is_not_one_digit_is_refused(string pvki)
    {
        var run = await _admin.RunTypingAsync($"{First}\n{Second}\n", "import-pvk", "--pvki", pvki);

        Assert.Equal(2, run.Code);
    }

    [Fact]
    public async Task A_PVK_component_with_a_wrong_KCV_is_refused_and_nothing_is_imported()
    {
        var run = await _admin.RunTypingAsync($"{First} 000000\n{Second}\n", "import-pvk", "--pvki", "2");

        Assert.Equal(2, run.Code);
        Assert.Contains("PVK component 1", run.Error, StringComparison.Ordinal);
        await using var ledger = await _admin.OpenLedgerAsync();
        Assert.Equal(1, (await ledger.GetPinVerificationKeyAsync(CancellationToken.None)).Index);
    }

    public void Dispose() => _admin.Dispose();

    private static string Kcv(string hex) => KeyCheckValue.ToHex(Convert.FromHexString(hex));
}
