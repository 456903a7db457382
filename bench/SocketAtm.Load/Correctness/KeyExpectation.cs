namespace SocketAtm.Load.Correctness;

/// <summary>What the journal must show for one request key, from the answers the terminals got.</summary>
internal sealed class KeyExpectation
{
    /// <summary>True when the answer proves the host decided (and stored) the key; false when it may or may not have (given up, 91).</summary>
    public bool Decided { get; set; }

    /// <summary>Repeats (0201) answered with the stored decision.</summary>
    public int Replays { get; set; }

    /// <summary>New originals with the used key, answered 94.</summary>
    public int Duplicates { get; set; }
}
