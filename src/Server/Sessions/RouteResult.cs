namespace SocketAtm.Server.Sessions;

/// <summary>Outcome of a route lookup.</summary>
internal enum RouteResult : byte
{
    Found,

    /// <summary>No route for this MTI: answered 12.</summary>
    UnknownMessage,

    /// <summary>The MTI routes by processing code, and DE 3 is missing: answered 30.</summary>
    MissingProcessingCode,

    /// <summary>The MTI is known but not with this processing code: answered 12.</summary>
    UnknownProcessingCode,
}
