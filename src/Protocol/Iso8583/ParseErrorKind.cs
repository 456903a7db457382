namespace SocketAtm.Protocol.Iso8583;

/// <summary>Why a message could not be parsed. Every kind is a format error (response code 30) for the host.</summary>
public enum ParseErrorKind : byte
{
    /// <summary>No error.</summary>
    None,

    /// <summary>The message ends before the 4 MTI digits.</summary>
    TruncatedMti,

    /// <summary>The MTI holds a byte that is not an ASCII digit.</summary>
    InvalidMti,

    /// <summary>The message ends inside the primary or secondary bitmap.</summary>
    TruncatedBitmap,

    /// <summary>A bitmap bit is set for a data element the field table does not define.</summary>
    UndefinedField,

    /// <summary>The message ends inside a data element or its length prefix.</summary>
    TruncatedField,

    /// <summary>An LLVAR/LLLVAR length prefix holds a non-digit.</summary>
    InvalidLengthPrefix,

    /// <summary>An LLVAR/LLLVAR length prefix exceeds the field's maximum.</summary>
    LengthExceedsMaximum,

    /// <summary>A data element holds a byte its type does not allow.</summary>
    InvalidCharacter,

    /// <summary>Bytes remain after the last data element the bitmap announces.</summary>
    TrailingBytes,
}
