namespace SocketAtm.Server.Sessions;

/// <summary>
/// Handles one kind of request: checks what the message alone can tell and turns it into a ledger request; the
/// ledger's writer decides and applies it, and answers only once it is durable; sessions only carry bytes. Handlers
/// are created in one place, the route table (Handlers/HostRoutes).
/// </summary>
internal interface IMessageHandler
{
    /// <summary>Data elements without which the request is a format error (30).</summary>
    ReadOnlySpan<int> MandatoryFields { get; }

    /// <summary>
    /// Data elements the response echoes when the request carried them (the E column of PROTOCOL.md §6), whatever the
    /// response code: the dispatcher copies them before any check, so refusals echo them too.
    /// </summary>
    ReadOnlySpan<int> EchoedFields { get; }

    /// <summary>
    /// True for financial messages: the terminal must be signed on over this connection, and a terminal that requires
    /// MACs must authenticate the request and gets MACed responses.
    /// </summary>
    bool IsFinancial { get; }

    /// <summary>
    /// Fills <see cref="MessageContext.Response"/>; the MTI and the <see cref="EchoedFields"/> are already set, and
    /// <see cref="MessageContext.Terminal"/> is the registered, enabled terminal that sent the request.
    /// </summary>
    ValueTask HandleAsync(MessageContext context, CancellationToken cancellationToken);
}
