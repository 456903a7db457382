using System.Security.Cryptography;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// The issuer's PIN verification keys as a ledger holds them: the one new cards are issued under, and the others, under
/// which cards on file were issued and still verify (a card's PVKI names its key). A ledger of one PVK, as every ledger
/// was before PVKIs could be imported, is a ring with no others: both stores keep the issuing key where they always
/// kept the one PVK, so such a ledger needs no migration.
/// </summary>
/// <param name="Issuing">The PVK new cards are issued under.</param>
/// <param name="Others">The other PVKs, one per PVKI, none at the issuing one's.</param>
internal sealed record PinVerificationKeyRing(PinVerificationKey Issuing, IReadOnlyList<PinVerificationKey> Others)
{
    /// <summary>Every PVK held, the issuing one first.</summary>
    public IEnumerable<PinVerificationKey> All => Others.Prepend(Issuing);

    /// <summary>The PVK of <paramref name="pvki"/>, or null when none is held.</summary>
    public PinVerificationKey? Find(int pvki) => All.FirstOrDefault(key => key.Index == pvki);

    /// <summary>
    /// The ring once <paramref name="key"/> is imported: it becomes the issuing key, and the one it replaces as such keeps
    /// verifying its cards (unless it had the same PVKI). A PVKI already holding another key is only reused when no card
    /// was issued under it (<paramref name="cardsUnderItsIndex"/>): those cards' PINs would stop verifying.
    /// </summary>
    /// <exception cref="ArgumentException">Not a PVKI 0–9 and a double-length key, the published demo PVK, or a PVKI in use by another key.</exception>
    public PinVerificationKeyRing Import(PinVerificationKey key, int cardsUnderItsIndex)
    {
        ArgumentNullException.ThrowIfNull(key);
        if ((uint)key.Index > 9)
        {
            throw new ArgumentException("A PVKI is one digit, 0 to 9.", nameof(key));
        }

        var material = KeyMaterial.RequireDoubleLength(key.Key, nameof(key));
        if (DemoData.IsDemoPinVerificationKey(key))
        {
            throw new ArgumentException("That is the published demo PVK: it protects nothing.", nameof(key));
        }

        if (Find(key.Index) is { } held && !CryptographicOperations.FixedTimeEquals(held.Key, material) && cardsUnderItsIndex > 0)
        {
            throw new ArgumentException(
                $"PVKI {key.Index} holds another PVK (KCV {KeyCheckValue.ToHex(held.Key)}), under which {cardsUnderItsIndex} cards' PINs were set: replacing it would make them fail. Import the new PVK under a PVKI of its own.",
                nameof(key));
        }

        return new PinVerificationKeyRing(new PinVerificationKey(material, key.Index), [.. All.Where(other => other.Index != key.Index)]);
    }
}
