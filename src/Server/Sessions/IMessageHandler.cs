namespace SocketAtm.Server.Sessions;

/// <summary>Handles one kind of request. Handlers decide; the ledger applies; sessions only carry bytes.</summary>
internal interface IMessageHandler
{
    /// <summary>Data elements without which the request is a format error (30).</summary>
    ReadOnlySpan<int> MandatoryFields { get; }

    /// <summary>
    /// True for financial messages: the terminal must be signed on over this connection, and a terminal that requires
    /// MACs must authenticate the request and gets MACed responses.
    /// </summary>
    bool IsFinancial { get; }

    /// <summary>
    /// Fills <see cref="MessageContext.Response"/>; the MTI and the echoed DE 7, 11 and 41 are already set, and
    /// <see cref="MessageContext.Terminal"/> is the registered, enabled terminal that sent the request.
    /// </summary>
    ValueTask HandleAsync(MessageContext context, CancellationToken cancellationToken);
}
