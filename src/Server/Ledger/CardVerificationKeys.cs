using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// Which CVK a ledger gets. A new one: the demo CVK with the demo data, else a random one (as the PVK). One written by a
/// host from before track 2 was verified holds none, and is given one as it opens: the demo CVK when its PVK is the
/// published demo PVK (its cards are the demo cards, whose published track 2 then verifies; such a ledger is demo data
/// and refused off loopback anyway), else a random one, logged — never nothing, so that no track 2 passes unverified:
/// the real cards' track 2 then fails its CVV (59) until the operator imports the issuer's CVK (<c>admin import-cvk</c>).
/// </summary>
internal static class CardVerificationKeys
{
    /// <summary>A fresh random CVK pair.</summary>
    public static CardVerificationKey Random() => new(RandomNumberGenerator.GetBytes(16));

    /// <summary>The CVK of a new ledger.</summary>
    public static CardVerificationKey ForNewLedger(bool seedDemoData) => seedDemoData ? DemoData.CardVerificationKey : Random();

    /// <summary>The CVK an existing ledger that holds none is given at open, logged with its KCV.</summary>
    public static CardVerificationKey ForLedgerWithout(PinVerificationKey pinVerificationKey, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(pinVerificationKey);
        if (DemoData.IsDemoPinVerificationKey(pinVerificationKey))
        {
            var demo = DemoData.CardVerificationKey;
            LedgerLog.AddedDemoCardVerificationKey(logger, KeyCheckValue.ToHex(demo.Key));
            return demo;
        }

        var generated = Random();
        LedgerLog.GeneratedCardVerificationKey(logger, KeyCheckValue.ToHex(generated.Key));
        return generated;
    }
}
