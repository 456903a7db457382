using SocketAtm.Server.Admin;

namespace SocketAtm.Load.Fleet;

/// <summary>
/// The simulated terminals and the cards they use, all with known PINs and opening balances. The ids and card numbers
/// come from the same generators as the admin's add-terminals and add-cards, so the harness and a fleet provisioned by
/// hand agree on them.
/// </summary>
internal sealed class Fleet
{
    /// <summary>The acquirer id every load terminal sends in DE 32 (the client library's default).</summary>
    public const string AcquirerId = "123456";

    public Fleet(FleetSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        TerminalIds = GeneratedTerminalIds.Create(settings.TerminalPrefix, settings.Terminals, settings.FirstTerminal);
        Pans = GeneratedCardNumbers.Create(settings.CardPrefix, settings.Cards, settings.FirstCard);
    }

    public FleetSettings Settings { get; }

    public IReadOnlyList<string> TerminalIds { get; }

    public IReadOnlyList<string> Pans { get; }

    public string Pin => Settings.Pin;

    public long OpeningBalance => Settings.OpeningBalance;

    /// <summary>DE 32 as the host keys it: right-justified, zero-filled to 11 digits.</summary>
    public static string KeyedAcquirerId => AcquirerId.PadLeft(11, '0');
}
