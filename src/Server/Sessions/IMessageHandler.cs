namespace SocketAtm.Server.Sessions;

/// <summary>Handles one kind of request. Handlers decide; the ledger applies; sessions only carry bytes.</summary>
internal interface IMessageHandler
{
    /// <summary>Data elements without which the request is a format error (30).</summary>
    ReadOnlySpan<int> MandatoryFields { get; }

    /// <summary>True when the terminal must be signed on over this connection (financial messages).</summary>
    bool RequiresSignOn { get; }

    /// <summary>Fills <see cref="MessageContext.Response"/>; the MTI and the echoed DE 7, 11 and 41 are already set.</summary>
    ValueTask HandleAsync(MessageContext context, CancellationToken cancellationToken);
}
