using System.Diagnostics;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// One request being handled: the parsed request, the response being built, and the connection it came on.
/// Pooled and reused, with its two messages, so a request costs no allocations on the way through.
/// </summary>
internal sealed class MessageContext
{
    private SessionTerminals? _terminals;

    public IsoMessage Request { get; } = new();

    public IsoMessage Response { get; } = new();

    /// <summary>Terminals signed on over the connection the request came on.</summary>
    public SessionTerminals Terminals => _terminals ?? throw new InvalidOperationException("The context is not in use.");

    /// <summary>The registered, enabled terminal that sent the request, once the dispatcher has checked it.</summary>
    public TerminalRecord? Terminal { get; set; }

    /// <summary>The handler chosen by the dispatcher.</summary>
    public IMessageHandler? Handler { get; set; }

    /// <summary>The elements the response echoes from the request, whichever answer it gets (a 96 included).</summary>
    public int[] EchoedFields { get; set; } = [];

    /// <summary>The TAK to sign the response with, or null when the response carries no MAC.</summary>
    public byte[]? ResponseMacKey { get; set; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the request's frame was complete.</summary>
    public long StartedAt { get; private set; }

    /// <summary>
    /// The address the request came from as violations and rate-limited log lines count it (<see cref="RemoteAddressKey"/>:
    /// behind a proxy, the PROXY protocol's); null when the connection has none (an in-memory pipe).
    /// </summary>
    public string? RemoteAddress { get; private set; }

    /// <summary>
    /// The request's span (<see cref="AtmTracing.StartRequest"/>) while it is handled; null when nothing is traced. Kept
    /// here rather than in <see cref="Activity.Current"/>: the request completes on whatever thread its last await
    /// resumed on, and the context is pooled.
    /// </summary>
    public Activity? Trace { get; set; }

    /// <summary>Prepares the context for a request that arrived on a connection.</summary>
    /// <param name="remoteAddress">The connection's <see cref="RemoteAddressKey"/>, computed once per connection.</param>
    public void Begin(SessionTerminals terminals, long startedAt, string? remoteAddress = null)
    {
        _terminals = terminals;
        StartedAt = startedAt;
        RemoteAddress = remoteAddress;
    }

    /// <summary>Wipes both messages (they may hold card data) so the context can be reused.</summary>
    public void Reset()
    {
        Request.Clear();
        Response.Clear();
        Terminal = null;
        Handler = null;
        EchoedFields = [];
        ResponseMacKey = null;
        RemoteAddress = null;
        _terminals = null;
        if (Trace is { } trace)
        {
            // Never answered (its connection closed first): the span still ends, marked so.
            Trace = null;
            AtmTracing.Abandon(trace);
        }
    }

    /// <summary>Sets DE 39 on the response.</summary>
    public void Answer(string responseCode) => Response.Set(DataElements.ResponseCode, responseCode);
}
