using System.Globalization;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// The published demo data a ledger holds (see <see cref="DemoData"/>): terminals with a demo key, whether its PVK is the
/// demo PVK and its CVK the demo CVK, and how many demo cards are on file.
/// </summary>
internal sealed record DemoDataInventory(IReadOnlyList<string> Terminals, bool PinVerificationKey, int Cards, bool CardVerificationKey = false)
{
    /// <summary>
    /// True when a host off loopback must refuse this ledger: demo keys would open it to anyone (with the demo CVK, anyone
    /// can write a track 2 that verifies for any card on file).
    /// </summary>
    public bool ExposesDemoKeys => Terminals.Count > 0 || PinVerificationKey || CardVerificationKey;

    /// <summary>In words for one log or console line, e.g. "10 demo terminals (ATM00001…ATM00010), the demo PVK, 5 demo cards".</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Terminals.Count > 0)
        {
            var ids = Terminals.Order(StringComparer.Ordinal).ToList();
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{ids.Count} demo terminal{(ids.Count == 1 ? string.Empty : "s")} ({(ids.Count <= 3 ? string.Join(", ", ids) : ids[0] + "…" + ids[^1])})"));
        }

        if (PinVerificationKey)
        {
            parts.Add("the demo PVK");
        }

        if (CardVerificationKey)
        {
            parts.Add("the demo CVK");
        }

        if (Cards > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Cards} demo card{(Cards == 1 ? string.Empty : "s")}"));
        }

        return parts.Count == 0 ? "no demo data" : string.Join(", ", parts);
    }
}
