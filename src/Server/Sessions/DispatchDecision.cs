namespace SocketAtm.Server.Sessions;

/// <summary>What the session does with a request after the dispatcher has looked at it.</summary>
internal enum DispatchDecision : byte
{
    /// <summary>Run the handler, then send the response.</summary>
    Handle,

    /// <summary>The response is complete already (a refusal): send it.</summary>
    Respond,

    /// <summary>Send nothing (a response message sent by a terminal).</summary>
    Ignore,

    /// <summary>The peer does not speak the protocol: close the connection.</summary>
    Close,
}
