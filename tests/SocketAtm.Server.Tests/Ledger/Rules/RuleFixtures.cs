using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;

namespace SocketAtm.Server.Tests.Ledger.Rules;

/// <summary>Records and requests for the pure rule tests: one card with one checking account, on 2026-03-15.</summary>
internal static class RuleFixtures
{
    public const string Pan = "4761739001010119";
    public const string Pin = "1234";
    public const int PinTryLimit = 3;

    public static readonly DateTimeOffset Now = new(2026, 3, 15, 10, 0, 0, TimeSpan.Zero);

    public static AccountRecord Checking(long balance = 100_000) =>
        new() { Id = 7, Type = AccountType.Checking, Currency = 840, OpeningBalance = balance, Balance = balance };

    public static CardRecord Card(CardStatus status = CardStatus.Active, string expiry = "2812", int pinTries = 0) => new()
    {
        Id = 3,
        Pan = Pan,
        Pvv = CardIssuer.ComputePvv(DemoData.PinVerificationKey, Pan, Pin),
        Status = status,
        Expiry = expiry,
        PinTries = pinTries,
        DailyAmountLimit = 50_000,
        DailyCountLimit = 10,
        Accounts = [new LinkedAccount(AccountType.Checking, 7)],
    };

    public static LedgerRequest Withdrawal(
        long amount = 10_000, string? pin = Pin, int currency = 840, AccountType accountType = AccountType.Default, bool hasPinBlock = true) => new()
        {
            Kind = TransactionKind.Withdrawal,
            Key = new RequestKey("00000000000", "ATM00009", 1, "0315100000"),
            Mti = 200,
            Pan = Pan,
            AccountType = accountType,
            Amount = amount,
            Currency = currency,
            CandidatePvv = pin is null ? null : CardIssuer.ComputePvv(DemoData.PinVerificationKey, Pan, pin),
            HasPinBlock = hasPinBlock,
            ReceivedAt = Now,
        };
}
