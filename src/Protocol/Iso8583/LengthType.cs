namespace SocketAtm.Protocol.Iso8583;

/// <summary>How the length of a data element is known on the wire.</summary>
public enum LengthType : byte
{
    /// <summary>The length is the field's defined length; no prefix.</summary>
    Fixed,

    /// <summary>Two ASCII digits give the length of the value that follows.</summary>
    LlVar,

    /// <summary>Three ASCII digits give the length of the value that follows.</summary>
    LllVar,
}
