namespace SocketAtm.Protocol.Masking;

/// <summary>How much of a data element may appear in a log.</summary>
public enum FieldVisibility : byte
{
    /// <summary>Shown as it is.</summary>
    Clear,

    /// <summary>Shown as a masked PAN (first 6, last 4).</summary>
    MaskedPan,

    /// <summary>Never shown; only its length.</summary>
    Hidden,
}
