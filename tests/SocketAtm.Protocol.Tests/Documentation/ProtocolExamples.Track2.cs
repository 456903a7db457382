namespace SocketAtm.Protocol.Tests.Documentation;

/// <summary>
/// The withdrawal of PROTOCOL.md §14.11–14.12: ATM00009 reads demo card 4761739001010119's stripe and sends its track 2
/// (DE 35) instead of DE 2, on 14 March at 09:45:00, after the MAC withdrawal of 14.9; the host checks the track against
/// the card on file, verifies its CVV under the issuer's CVK, and pays out 40.00.
/// </summary>
internal static partial class ProtocolExamples
{
    private static ProtocolExample Track2WithdrawalRequest()
    {
        var message = Message(
            200,
            (3, "012000"),
            (4, "000000004000"),
            (7, "0314094500"),
            (11, "000125"),
            (12, "094500"),
            (13, "0314"),
            (32, AcquirerId),
            (35, DemoCards.ActiveTrack2),
            (41, "ATM00009"),
            (49, "840"));
        message.Set(52, EncryptedDemoPinBlock());
        return new("track2-withdrawal-request", "financial transaction request", message, new Dictionary<int, string>
        {
            [3] = "cash withdrawal from checking",
            [4] = "40.00",
            [7] = "14 March 09:45:00 GMT",
            [11] = "STAN (ATM00009 used 000123 and 000124 for 14.4 and 14.6)",
            [12] = "local time",
            [13] = "local date",
            [32] = "acquirer id",
            [35] = "track 2 as read off the stripe: PAN `4761739001010119`, `=`, expiry `2812`, service code `101`, "
                + "then PVKI `1`, PVV `4931` and CVV `734` (no DE 2: the PAN is the track's)",
            [41] = "terminal id",
            [49] = "USD",
            [52] = "PIN 1234 under the demo TPK (format 0 takes the PAN of the track: the same block as 14.4)",
        });
    }

    private static ProtocolExample Track2WithdrawalResponse()
    {
        var message = Message(
            210,
            (3, "012000"),
            (4, "000000004000"),
            (7, "0314094500"),
            (11, "000125"),
            (12, "094500"),
            (13, "0314"),
            (32, AcquirerId),
            (37, "000000000045"),
            (38, "735104"),
            (39, "00"),
            (41, "ATM00009"),
            (49, "840"),
            (54, "2001840C000000090000" + "2002840C000000090000"));
        return new("track2-withdrawal-response", "financial transaction response", message, new Dictionary<int, string>
        {
            [3] = "echoed",
            [4] = "echoed",
            [7] = "echoed",
            [11] = "echoed",
            [12] = "echoed",
            [13] = "echoed",
            [32] = "echoed",
            [37] = "retrieval reference number",
            [38] = "authorization id",
            [39] = "00 = approved: the track is the card on file's (PAN, expiry, service code) and its CVV verified",
            [41] = "echoed",
            [49] = "echoed",
            [54] = "ledger and available balance 900.00 (940.00 − 40.00); DE 35 is never echoed",
        });
    }
}
