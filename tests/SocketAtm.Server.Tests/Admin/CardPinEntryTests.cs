using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.LiteDb;

namespace SocketAtm.Server.Tests.Admin;

/// <summary>A card's clear PIN reaches <c>admin add-card</c> and <c>add-cards</c> from a file or a prompt, never from argv.</summary>
public sealed class CardPinEntryTests : IDisposable
{
    private const string Pan = "4000001234567899";

    private readonly AdminRunner _admin = new();
    private int _stan;

    [Fact]
    public async Task A_PIN_from_a_file_is_the_cards_PIN_and_is_not_printed()
    {
        var run = await _admin.RunAsync("add-card", "--pan", Pan, "--pin-file", _admin.SecretFile("  9081\n"), "--expiry", "3012");

        Assert.Equal(0, run.Code);
        Assert.DoesNotContain("9081", run.Everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Pan, run.Everything, StringComparison.Ordinal);
        await using var ledger = await _admin.OpenLedgerAsync();
        Assert.Equal(ResponseCodes.Approved, await InquireAsync(ledger, Pan, "9081"));
        Assert.Equal(ResponseCodes.IncorrectPin, await InquireAsync(ledger, Pan, "9082"));
    }

    [Fact]
    public async Task A_PIN_typed_at_the_prompt_is_the_cards_PIN()
    {
        var run = await _admin.RunTypingAsync("5566\n", "add-card", "--pan", Pan, "--expiry", "3012");

        Assert.Equal(0, run.Code);
        Assert.Contains("PIN of card 400000******7899", run.Error, StringComparison.Ordinal);
        await using var ledger = await _admin.OpenLedgerAsync();
        Assert.Equal(ResponseCodes.Approved, await InquireAsync(ledger, Pan, "5566"));
    }

    [Fact]
    public async Task A_PIN_on_the_command_line_is_not_an_option_any_more()
    {
        var run = await _admin.RunAsync("add-card", "--pan", Pan, "--pin", "9081", "--expiry", "3012");

        Assert.NotEqual(0, run.Code);
        await AssertNotOnFileAsync(Pan);
    }

    [Theory]
    [InlineData("12a4")]
    [InlineData("123")]
    [InlineData("1234567890123")]
    public async Task A_PIN_file_that_is_not_4_to_12_digits_is_refused(string pin)
    {
        var run = await _admin.RunAsync("add-card", "--pan", Pan, "--pin-file", _admin.SecretFile(pin), "--expiry", "3012");

        Assert.Equal(2, run.Code);
        Assert.Contains("A PIN is 4 to 12 digits", run.Error, StringComparison.Ordinal);
        await AssertNotOnFileAsync(Pan);
    }

    [Fact]
    public async Task No_PIN_file_and_no_input_is_refused()
    {
        var run = await _admin.RunAsync("add-card", "--pan", Pan, "--expiry", "3012");

        Assert.Equal(2, run.Code);
        await AssertNotOnFileAsync(Pan);
    }

    [Fact]
    public async Task Bulk_added_cards_all_get_the_one_PIN_from_the_file()
    {
        var run = await _admin.RunAsync("add-cards", "--count", "3", "--prefix", "52", "--pin-file", _admin.SecretFile("7777"), "--expiry", "3012");

        Assert.Equal(0, run.Code);
        Assert.Contains("and the same PIN", run.Output, StringComparison.Ordinal);
        await using var ledger = await _admin.OpenLedgerAsync();
        foreach (var pan in Server.Admin.GeneratedCardNumbers.Create("52", 3))
        {
            Assert.Equal(ResponseCodes.Approved, await InquireAsync(ledger, pan, "7777"));
        }
    }

    public void Dispose() => _admin.Dispose();

    private async Task<string> InquireAsync(LiteDbLedger ledger, string pan, string pin)
    {
        var outcome = await ledger.ExecuteAsync(
            new LedgerRequest
            {
                Kind = TransactionKind.BalanceInquiry,
                Key = new RequestKey("00000000000", "ATM00009", ++_stan, "0101120000"),
                Mti = 100,
                Pan = pan,
                Currency = DemoData.Currency,
                CandidatePvv = CardIssuer.ComputePvv(await ledger.GetPinVerificationKeyAsync(CancellationToken.None), pan, pin),
                HasPinBlock = true,
                ReceivedAt = DateTimeOffset.UtcNow,
            },
            CancellationToken.None);
        return outcome.ResponseCode;
    }

    private async Task AssertNotOnFileAsync(string pan)
    {
        await using var ledger = await _admin.OpenLedgerAsync();
        Assert.Null(await ledger.GetCardBalanceAsync(pan, CancellationToken.None));
    }
}
