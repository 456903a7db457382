namespace SocketAtm.Server.Upstream;

/// <summary>Why a matched answer cannot be trusted (the contract's checks, in the order they are made).</summary>
internal enum UntrustedReason
{
    None,

    /// <summary>The route MACs and the answer's MAC is missing or wrong.</summary>
    BadMac,

    /// <summary>DE 39 is missing or not two ASCII letters or digits.</summary>
    BadResponseCode,

    /// <summary>DE 37 (mandatory echo) is missing or differs from the request's.</summary>
    RetrievalReferenceMismatch,

    /// <summary>An echoed DE 2 differs from the request's.</summary>
    PanMismatch,

    /// <summary>An echoed DE 3 differs from the request's.</summary>
    ProcessingCodeMismatch,

    /// <summary>An echoed DE 4 differs from the request's.</summary>
    AmountMismatch,

    /// <summary>An approval (00) without DE 38.</summary>
    ApprovalWithoutAuthorizationId,
}
