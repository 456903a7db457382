using SocketAtm.Client.Diagnostics;
using SocketAtm.Client.Link;
using SocketAtm.Client.Messages;
using SocketAtm.Client.Security;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Client.Exchange;

/// <summary>
/// How one terminal's requests go over a link and come back: each takes a STAN no request of this terminal has in flight
/// (with the DE 7 of now), is matched to its answer on DE 41 and DE 11, and is MACed when the terminal uses MACs — network
/// management too (PROTOCOL.md §6.1) — its answer then counting as none without a correct MAC (an 0810 refusal without
/// one excepted: it changes nothing). Callers decide what to send and when.
/// </summary>
internal sealed class TerminalExchange(
    TerminalConnection connection,
    TerminalClientOptions options,
    bool usesMac,
    WorkingKeys keys)
{
    private readonly StanGenerator _stans = new(options.InitialStan ?? StanGenerator.RandomFirst());
    private readonly ulong _packedTerminalId = RequestKey.PackTerminalId(options.TerminalId);

    /// <summary>Whether requests are MACed and their answers must carry a correct MAC.</summary>
    public bool UsesMac { get; } = usesMac;

    public RequestIdentity NextIdentity(LinkSession session)
    {
        int stan;
        do
        {
            stan = _stans.Next();
        }
        while (session.IsInFlight(new RequestKey(_packedTerminalId, stan)));

        var time = connection.Options.TimeProvider;
        return new RequestIdentity(options.TerminalId, options.AcquirerId, stan, TerminalMessages.TransmissionDateTime(time.GetUtcNow()), time.GetLocalNow());
    }

    /// <summary>Sends a financial request (MACed when the terminal uses MACs) and checks the MAC of its answer.</summary>
    public async Task<Reply> ExchangeFinancialAsync(LinkSession session, IsoMessage request, int stan, CancellationToken waitToken)
    {
        var macKey = UsesMac ? keys.MacKey : null;
        var responseMti = MessageTypes.ResponseOf(request.Mti);
        var reply = await session.ExchangeAsync(request, new RequestKey(_packedTerminalId, stan), responseMti, options.RequestTimeout, macKey, waitToken);
        if (reply.Message is { } response && macKey is not null && !RetailMac.Verify(macKey, response))
        {
            Log.ResponseMacInvalid(connection.Logger, response.Mti, stan, options.TerminalId);
            MessagePool.Return(response);
            return Reply.None(NoResponseReason.MacInvalid);
        }

        return reply;
    }

    /// <summary>Sends an 0800 with DE 70 = <paramref name="code"/> and keeps only the answer's DE 39 (null: no answer, and why).</summary>
    public async Task<(string? Code, NoResponseReason Reason, TimeSpan RoundTrip)> NetworkRequestAsync(LinkSession session, int code, CancellationToken waitToken)
    {
        var (reply, roundTrip) = await NetworkExchangeAsync(session, code, waitToken);
        if (reply.Message is not { } response)
        {
            return (null, reply.Reason, roundTrip);
        }

        var responseCode = TerminalMessages.ResponseCode(response);
        MessagePool.Return(response);
        return (responseCode, default, roundTrip);
    }

    /// <summary>
    /// Sends an 0800 with DE 70 = <paramref name="code"/>, MACed under the current TAK when the terminal uses MACs; the
    /// caller owns (and returns) the answer. An answer that approves must carry a correct MAC under that same key (the
    /// host MACs the 0810 under the key that verified the 0800), else it counts as none; a refusal may carry none (the
    /// host does not MAC its answer to an 0800 it could not authenticate) and is taken as it is, since it changes nothing.
    /// </summary>
    public async Task<(Reply Reply, TimeSpan RoundTrip)> NetworkExchangeAsync(LinkSession session, int code, CancellationToken waitToken)
    {
        var time = connection.Options.TimeProvider;
        var identity = NextIdentity(session);
        var request = MessagePool.Rent();
        var started = time.GetTimestamp();
        var macKey = UsesMac ? keys.MacKey : null;
        try
        {
            TerminalMessages.SetNetworkManagement(request, options.TerminalId, identity.Stan, identity.TransmissionDateTime, code);
            var reply = await session.ExchangeAsync(request, new RequestKey(_packedTerminalId, identity.Stan), MessageTypes.NetworkManagementResponse, options.RequestTimeout, macKey, waitToken);
            if (reply.Message is { } response && macKey is not null && !RetailMac.Verify(macKey, response)
                && TerminalMessages.ResponseCode(response) == ResponseCodes.Approved)
            {
                Log.ResponseMacInvalid(connection.Logger, response.Mti, identity.Stan, options.TerminalId);
                MessagePool.Return(response);
                return (Reply.None(NoResponseReason.MacInvalid), time.GetElapsedTime(started));
            }

            return (reply, time.GetElapsedTime(started));
        }
        finally
        {
            MessagePool.Return(request);
        }
    }
}
