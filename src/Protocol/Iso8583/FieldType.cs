namespace SocketAtm.Protocol.Iso8583;

/// <summary>The ISO 8583 content class of a data element, which decides its character set and padding.</summary>
public enum FieldType : byte
{
    /// <summary>n: ASCII digits; fixed fields are right-justified and zero-padded.</summary>
    Numeric,

    /// <summary>an: ASCII letters and digits (space allowed as padding); fixed fields are left-justified and space-padded.</summary>
    Alphanumeric,

    /// <summary>ans: printable ASCII (0x20–0x7E); fixed fields are left-justified and space-padded.</summary>
    AlphanumericSpecial,

    /// <summary>b: raw bytes, carried as-is; the length counts bytes.</summary>
    Binary,

    /// <summary>z: track 2 data, ASCII digits with '=' or 'D' as the field separator.</summary>
    Track2,
}
