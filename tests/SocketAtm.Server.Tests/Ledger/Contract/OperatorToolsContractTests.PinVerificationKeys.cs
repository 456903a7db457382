using System.Security.Cryptography;
using System.Text;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Security;
using SocketAtm.Server.Tests.Ledger.PostgreSql;

namespace SocketAtm.Server.Tests.Ledger.Contract;

/// <summary>Several PVKs by PVKI: each card's PIN verifies under the PVK of its own PVKI, on every store.</summary>
public abstract partial class OperatorToolsContractTests
{
    private const string OwnPan = "4000001234567899";
    private const string OwnPin = "8642";

    private static readonly PinVerificationKey Second = new(Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"), 2);

    [StorageFact]
    public async Task A_ledger_of_one_PVK_as_written_before_PVKIs_opens_with_it_issuing_and_its_cards_verifying()
    {
        // The seeded demo ledger is stored exactly as every ledger was before PVKIs could be imported: one PVK, PVKI 1.
        var held = await Admin.ListPinVerificationKeysAsync(CancellationToken.None);

        var only = Assert.Single(held);
        Assert.Equal(new HeldPinVerificationKey(1, KeyCheckValue.ToHex(DemoData.PinVerificationKey.Key), IsIssuing: true, Cards: 5), only);
        Assert.Equal(ResponseCodes.Approved, (await WithdrawAsync(DemoData.PinVerificationKey, DemoCards.Active, DemoCards.ActivePin)).ResponseCode);
    }

    [StorageFact]
    public async Task After_importing_PVKI_2_new_cards_are_issued_under_it_and_cards_of_both_PVKIs_verify_across_a_reopen()
    {
        await Admin.ImportPinVerificationKeyAsync(Second, CancellationToken.None);
        await Admin.AddCardsAsync([new CardRegistration { Pan = OwnPan, Pin = OwnPin, Expiry = "3012", OpeningBalance = 10_000 }], CancellationToken.None);

        // The session computes its candidates under the issuing PVK (now PVKI 2); the demo card's (PVKI 1) is verified again.
        Assert.Equal(ResponseCodes.Approved, (await WithdrawAsync(Second, OwnPan, OwnPin)).ResponseCode);
        Assert.Equal(ResponseCodes.Approved, (await WithdrawAsync(Second, DemoCards.Active, DemoCards.ActivePin)).ResponseCode);
        Assert.Equal(ResponseCodes.IncorrectPin, (await WithdrawAsync(Second, OwnPan, "1111")).ResponseCode);
        Assert.Equal(ResponseCodes.IncorrectPin, (await WithdrawAsync(Second, DemoCards.Active, "1111")).ResponseCode);

        await ReopenAsync();
        Assert.Equal(Second.Key, (await Ledger.GetPinVerificationKeyAsync(CancellationToken.None)).Key);
        Assert.Equal(
            [new HeldPinVerificationKey(1, KeyCheckValue.ToHex(DemoData.PinVerificationKey.Key), false, 5), new HeldPinVerificationKey(2, KeyCheckValue.ToHex(Second.Key), true, 1)],
            await Admin.ListPinVerificationKeysAsync(CancellationToken.None));
        // A host that started before the import computes under PVKI 1: the writer verifies the new card under PVKI 2.
        Assert.Equal(ResponseCodes.Approved, (await WithdrawAsync(DemoData.PinVerificationKey, OwnPan, OwnPin)).ResponseCode);
        Assert.Equal(ResponseCodes.Approved, (await WithdrawAsync(Second, DemoCards.Active, DemoCards.ActivePin)).ResponseCode);
        Assert.Equal(0, (await Admin.GetCardBalanceAsync(OwnPan, CancellationToken.None))!.PinTries); // the wrong try, cleared by the right PIN
    }

    [StorageFact]
    public async Task A_PVKI_in_use_by_another_key_is_refused_an_unused_one_may_be_replaced_and_the_demo_PVK_never_imported()
    {
        var other = new PinVerificationKey(RandomNumberGenerator.GetBytes(16), 1);
        await Assert.ThrowsAsync<ArgumentException>(() => Admin.ImportPinVerificationKeyAsync(other, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Admin.ImportPinVerificationKeyAsync(DemoData.PinVerificationKey with { Index = 4 }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Admin.ImportPinVerificationKeyAsync(Second with { Index = 10 }, CancellationToken.None));

        await Admin.ImportPinVerificationKeyAsync(new PinVerificationKey(RandomNumberGenerator.GetBytes(16), 3), CancellationToken.None);
        await Admin.ImportPinVerificationKeyAsync(Second with { Index = 3 }, CancellationToken.None);
        await Admin.ImportPinVerificationKeyAsync(Second with { Index = 3 }, CancellationToken.None);

        var held = await Admin.ListPinVerificationKeysAsync(CancellationToken.None);
        Assert.Equal([1, 3], held.Select(key => key.Index));
        Assert.Equal(KeyCheckValue.ToHex(Second.Key), held.Single(key => key.IsIssuing).CheckValue);
        Assert.Equal(ResponseCodes.Approved, (await WithdrawAsync(DemoData.PinVerificationKey, DemoCards.Active, DemoCards.ActivePin)).ResponseCode);
    }

    [StorageFact]
    public async Task A_card_whose_PVKI_has_no_key_is_answered_96_without_counting_a_try()
    {
        // The operator's card issued under the demo PVK; then PVKI 2 is imported and the demo data taken out: the demo
        // PVK, no longer issuing, is deleted, and with it the only key the card's PVV was computed under.
        await Admin.AddCardsAsync([new CardRegistration { Pan = OwnPan, Pin = OwnPin, Expiry = "3012", OpeningBalance = 10_000 }], CancellationToken.None);
        await Admin.AddTerminalAsync(
            new TerminalRegistration
            {
                TerminalId = "OWN00001", MasterKey = RandomNumberGenerator.GetBytes(16), PinKey = RandomNumberGenerator.GetBytes(16), MacKey = RandomNumberGenerator.GetBytes(16),
            },
            CancellationToken.None);
        await Admin.ImportPinVerificationKeyAsync(Second, CancellationToken.None);
        Assert.True((await Admin.FindDemoDataAsync(CancellationToken.None)).PinVerificationKey);

        var removal = await Admin.RemoveDemoDataAsync(CancellationToken.None);

        Assert.True(removal.PinVerificationKeyReplaced);
        Assert.Equal(1, removal.OtherCardsUnderDemoPvk);
        Assert.False((await Admin.FindDemoDataAsync(CancellationToken.None)).PinVerificationKey);
        Assert.Equal(Second.Key, (await Ledger.GetPinVerificationKeyAsync(CancellationToken.None)).Key);
        var held = await Admin.ListPinVerificationKeysAsync(CancellationToken.None);
        Assert.Equal([new HeldPinVerificationKey(1, null, false, 1), new HeldPinVerificationKey(2, KeyCheckValue.ToHex(Second.Key), true, 0)], held);
        var outcomes = new List<string>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            outcomes.Add((await WithdrawAsync(Second, OwnPan, OwnPin, "OWN00001")).ResponseCode);
        }

        Assert.All(outcomes, code => Assert.Equal(ResponseCodes.SystemMalfunction, code));
        var card = await Admin.GetCardBalanceAsync(OwnPan, CancellationToken.None);
        Assert.Equal(0, card!.PinTries);
        Assert.Equal(CardStatus.Active, card.Status);
        Assert.Equal(10_000, card.LedgerBalance);
    }

    /// <summary>
    /// A withdrawal as a session sends it: the PIN block encrypted under ATM00009's TPK, the candidates computed under
    /// <paramref name="sessionKey"/> (the PVK the session's host loaded as issuing).
    /// </summary>
    private async Task<LedgerOutcome> WithdrawAsync(PinVerificationKey sessionKey, string pan, string pin, string terminalId = LedgerTestContext.Terminal)
    {
        var terminal = await Ledger.FindTerminalAsync(terminalId, CancellationToken.None);
        var panDigits = Encoding.ASCII.GetBytes(pan);
        var block = new byte[PinBlock.Length];
        PinBlock.Encrypt(terminal!.PinKey, Encoding.ASCII.GetBytes(pin), panDigits, block);
        var session = new PinVerifier();
        session.Load(sessionKey);
        var verified = session.Verify(terminal, panDigits, block, Context.Time.GetUtcNow());
        return await Ledger.ExecuteAsync(
            new LedgerRequest
            {
                Kind = TransactionKind.Withdrawal,
                Key = Context.NextKey(terminalId),
                Mti = 200,
                Pan = pan,
                Amount = 1_000,
                Currency = DemoData.Currency,
                HasPinBlock = true,
                CandidatePvv = verified.CandidatePvv,
                PreviousKeyCandidatePvv = verified.PreviousKeyCandidatePvv,
                EncryptedPinBlock = verified.EncryptedPinBlock,
                PinKeyVersion = verified.KeyVersion,
                PinVerificationKeyIndex = session.KeyIndex,
                ReceivedAt = Context.Time.GetUtcNow(),
            },
            CancellationToken.None);
    }
}
