using System.Globalization;
using System.Security.Cryptography;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// The demo terminals, keys and cards of the protocol brief, seeded into an empty database when
/// <see cref="LedgerOptions.SeedDemoData"/> is on and the listener is on loopback (or <see cref="LedgerOptions.AllowDemoData"/>).
/// These keys are public: never for production. They are recognised by their keys (<see cref="IsDemoTerminal"/>,
/// <see cref="IsDemoPinVerificationKey"/>, <see cref="IsDemoCardVerificationKey"/>) wherever they are stored, so that a host off loopback can refuse them.
/// </summary>
internal static class DemoData
{
    public const int Currency = 840;

    public static byte[] TerminalMasterKey => Convert.FromHexString("F72E4C31320DC7AA66EAEAB7FAA58FAD");

    public static byte[] TerminalPinKey => Convert.FromHexString("A13F766224F292F868D54D2CFAB1683A");

    public static byte[] TerminalMacKey => Convert.FromHexString("1146ADC3F56CFB56FF054B0FEA03B0EE");

    public static byte[] ZonePinKey => Convert.FromHexString("1F2E3D4C5B6A79880918273645546372");

    public static PinVerificationKey PinVerificationKey => new(Convert.FromHexString("59FC8F97BFDFF32A1121A96AB0E1A0AD"), 1);

    /// <summary>CVK A then CVK B, under which the demo cards' published track 2 CVVs were computed.</summary>
    public static CardVerificationKey CardVerificationKey => new(Convert.FromHexString(CardVerificationKeyHex));

    private const string CardVerificationKeyHex = "583F14357E5404115BCF480B3AB7BFEE";

    /// <summary>ATM00001–ATM00010; the first eight require a MAC.</summary>
    public static IEnumerable<TerminalRecord> Terminals() =>
        Enumerable.Range(1, 10).Select(number => new TerminalRecord
        {
            TerminalId = string.Create(CultureInfo.InvariantCulture, $"ATM{number:D5}"),
            MasterKey = TerminalMasterKey,
            PinKey = TerminalPinKey,
            MacKey = TerminalMacKey,
            RequiresMac = number <= 8,
        });

    public static IEnumerable<CardRegistration> Cards() =>
    [
        new() { Pan = "4761739001010119", Pin = "1234", Expiry = "2812", OpeningBalance = 100_000 },
        new() { Pan = "4761739001010127", Pin = "4321", Expiry = "2812", OpeningBalance = 5_000 },
        new() { Pan = "4761739001010135", Pin = "1111", Expiry = "2312", OpeningBalance = 100_000 },
        new() { Pan = "4761739001010143", Pin = "2222", Expiry = "2812", OpeningBalance = 100_000, Status = CardStatus.Restricted },
        new()
        {
            Pan = "4761739001010150",
            Pin = "3333",
            Expiry = "2812",
            OpeningBalance = 100_000_000,
            DailyAmountLimit = 100_000_000,
            DailyCountLimit = 100_000,
        },
    ];

    /// <summary>
    /// True when any of the terminal's keys is a published demo key: the seeded ATM00001–ATM00010 (even after a key
    /// exchange, their TMK stays the demo one) and every terminal added with <c>--demo-keys</c>. The id alone says
    /// nothing: an operator may well name a terminal of its own ATM00001.
    /// </summary>
    public static bool IsDemoTerminal(TerminalRecord terminal)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        return IsDemoKey(terminal.MasterKey) || IsDemoKey(terminal.PinKey) || IsDemoKey(terminal.MacKey);
    }

    public static bool IsDemoPinVerificationKey(PinVerificationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return CryptographicOperations.FixedTimeEquals(key.Key, PinVerificationKey.Key);
    }

    public static bool IsDemoCardVerificationKey(CardVerificationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return CryptographicOperations.FixedTimeEquals(key.Key, CardVerificationKey.Key);
    }

    /// <summary>The PANs of <see cref="Cards"/>.</summary>
    public static IReadOnlyList<string> CardNumbers() => [.. Cards().Select(card => card.Pan)];

    private static bool IsDemoKey(byte[] key) =>
        CryptographicOperations.FixedTimeEquals(key, TerminalMasterKey)
        || CryptographicOperations.FixedTimeEquals(key, TerminalPinKey)
        || CryptographicOperations.FixedTimeEquals(key, TerminalMacKey);
}
