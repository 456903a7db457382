namespace SocketAtm.Load.Fleet;

/// <summary>How the fleet is numbered and funded. The defaults stay clear of the demo terminals ATM00001–ATM00010.</summary>
internal sealed record FleetSettings
{
    public int Terminals { get; init; } = 100;

    public string TerminalPrefix { get; init; } = "ATM";

    public int FirstTerminal { get; init; } = 11;

    public int Cards { get; init; } = 1000;

    public string CardPrefix { get; init; } = "52";

    public long FirstCard { get; init; }

    public string Pin { get; init; } = "1111";

    public string Expiry { get; init; } = "3012";

    /// <summary>Opening balance of every card in minor units; the daily limits are set as high, so only the balance can decline.</summary>
    public long OpeningBalance { get; init; } = 100_000_000;

    /// <summary>Whether the terminals MAC their financial messages (X9.19 under the demo TAK).</summary>
    public bool UseMac { get; init; }
}
