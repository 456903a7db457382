namespace SocketAtm.Server.Security;

/// <summary>
/// A <see cref="PinVerifier"/> for each PIN verification key the issuer holds, found by its PVKI (0–9): a card's PVV was
/// computed under the PVK of the card's PVKI, so its PIN is verified under that key. Several PVKIs coexist while cards
/// issued under an older PVK are still in use. Loaded whole (at open, and after an import) and read from any thread.
/// </summary>
internal sealed class IssuerPinVerifiers
{
    private const int Indexes = 10;

    private volatile PinVerifier?[] _byIndex = new PinVerifier?[Indexes];

    /// <summary>Replaces the keys held with <paramref name="keys"/>, at most one per PVKI.</summary>
    public void Load(IEnumerable<PinVerificationKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var byIndex = new PinVerifier?[Indexes];
        foreach (var key in keys)
        {
            if ((uint)key.Index >= Indexes || byIndex[key.Index] is not null)
            {
                throw new ArgumentException($"PVKI {key.Index} is not 0 to 9, or appears twice.", nameof(keys));
            }

            var verifier = new PinVerifier();
            verifier.Load(key);
            byIndex[key.Index] = verifier;
        }

        _byIndex = byIndex;
    }

    /// <summary>The verifier under the PVK of <paramref name="pvki"/>, or null when the issuer holds none for it.</summary>
    public PinVerifier? For(int pvki) => (uint)pvki < Indexes ? _byIndex[pvki] : null;
}
