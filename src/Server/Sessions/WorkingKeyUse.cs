namespace SocketAtm.Server.Sessions;

/// <summary>Which of a terminal's working keys a request was made under, as far as the dispatcher can tell.</summary>
internal enum WorkingKeyUse : byte
{
    /// <summary>None of the terminal's keys: for a MAC terminal, the request is not authenticated.</summary>
    None,

    /// <summary>The current keys.</summary>
    Current,

    /// <summary>The keys the last promotion replaced, while their overlap lasts.</summary>
    Previous,

    /// <summary>The keys the last key exchange issued: the terminal's first use of them, which makes them current.</summary>
    Pending,
}
