using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Masking;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// Turns one parsed (or unparsable) request into a handler to run or a finished refusal, applying PROTOCOL.md §6's
/// checks once, in its order, for every handler: parse (30), MTI (12), terminal (58; for a financial request of a
/// terminal without a MAC key, a connection that vouches for it, <see cref="TerminalAuthenticationGate"/>), sign-on (58),
/// MAC (63, for every request of a MAC terminal), mandatory elements (30), processing code (12). A request that is a
/// terminal's first under its pending keys makes them current on the way. Never throws for bad input.
/// </summary>
internal sealed class MessageDispatcher
{
    /// <summary>Data elements echoed when the MTI has no route (PROTOCOL.md §6.6); a route knows its own.</summary>
    private static readonly int[] EchoedWithoutRoute = [DataElements.TransmissionDateTime, DataElements.Stan, DataElements.TerminalId];

    private static readonly string[] ResponseCodeStrings = Enumerable.Range(0, 100)
        .Select(n => n.ToString("D2", CultureInfo.InvariantCulture))
        .ToArray();

    private readonly RouteTable _routes;
    private readonly ILedger _ledger;
    private readonly ILogger _logger;
    private readonly AtmMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly TerminalAuthenticationGate _terminalAuthentication;

    /// <summary>The refusals' log lines, which anyone who can reach the port can cause at will: one per address and reason a minute.</summary>
    private readonly LogRateLimit _refusals;

    private const string MalformedKind = "malformed message answered 30";

    /// <param name="terminalsWithoutMacOnAnyConnection">
    /// True when any connection may carry a terminal without a MAC key (a loopback listener, or the operator allowed it);
    /// false when only one whose client certificate names the terminal may (<see cref="TerminalAuthenticationGate"/>).
    /// </param>
    public MessageDispatcher(
        RouteTable routes, ILedger ledger, AtmMetrics metrics, TimeProvider time, ILogger<MessageDispatcher> logger, bool terminalsWithoutMacOnAnyConnection)
    {
        _routes = routes;
        _terminalAuthentication = new TerminalAuthenticationGate(terminalsWithoutMacOnAnyConnection, routes.UnauthenticatedTerminal, logger);
        _ledger = ledger;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _refusals = new LogRateLimit(time);
    }

    /// <summary>
    /// Decides what the session does with a request. On <see cref="DispatchDecision.Handle"/> the context holds the
    /// handler and the checked terminal; on <see cref="DispatchDecision.Respond"/> its response is complete.
    /// </summary>
    public ValueTask<DispatchDecision> PrepareAsync(MessageContext context, bool parsed, in ParseError error, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.Mti < 0)
        {
            Log.UnreadableMessage(_logger, error.ToString());
            return ValueTask.FromResult(DispatchDecision.Close);
        }

        if (MessageTypes.IsResponse(request.Mti))
        {
            Log.IgnoredResponseMessage(_logger, FormatMti(request.Mti));
            if (parsed)
            {
                _metrics.FrameRejected("response_mti"); // an unparsable one was counted under its parse error already
            }

            return ValueTask.FromResult(DispatchDecision.Ignore);
        }

        context.Trace = AtmTracing.StartRequest(request.Mti);
        var response = context.Response;
        response.Mti = MessageTypes.ResponseOf(request.Mti);
        var route = _routes.Find(request.Mti);
        context.EchoedFields = route?.EchoedFields ?? EchoedWithoutRoute;
        Echo(context);
        if (!parsed)
        {
            if (_refusals.ShouldLog(_logger, context.RemoteAddress, MalformedKind))
            {
                Log.MalformedMessage(_logger, FormatMti(request.Mti), DescribeSafely(error));
            }

            return ValueTask.FromResult(RefuseMalformed(context));
        }

        if (route is null)
        {
            return ValueTask.FromResult(Refuse(context, ResponseCodes.InvalidTransaction, "no route for this MTI"));
        }

        if (!request.Has(DataElements.TerminalId))
        {
            return ValueTask.FromResult(Refuse(context, ResponseCodes.FormatError, "DE 41 is missing"));
        }

        var lookup = FindTerminalAsync(context, cancellationToken);
        return lookup.IsCompletedSuccessfully
            ? CheckTerminalAndRoute(context, route, lookup.Result, cancellationToken)
            : AwaitTerminalAsync(context, route, lookup, cancellationToken);
    }

    /// <summary>Records a response about to be sent: metrics, and the one Information line per financial transaction.</summary>
    public void Completed(MessageContext context)
    {
        var request = context.Request;
        var responseCode = context.Response.Get(DataElements.ResponseCode);
        var rc = responseCode.Length == 2 && char.IsAsciiDigit((char)responseCode[0]) && char.IsAsciiDigit((char)responseCode[1])
            ? ResponseCodeStrings[((responseCode[0] - '0') * 10) + (responseCode[1] - '0')]
            : "--";
        var elapsed = _time.GetElapsedTime(context.StartedAt).TotalMilliseconds;
        _metrics.MessageAnswered(request.Mti, rc, elapsed);
        var trace = context.Trace;
        context.Trace = null;
        if (MessageTypes.ClassOf(request.Mti) != MessageTypes.NetworkManagementRequest && _logger.IsEnabled(LogLevel.Information))
        {
            if (trace is null)
            {
                LogTransaction(request, rc, elapsed);
            }
            else
            {
                // The request's span is current for this one line only, so that a log exported over OTLP carries its trace
                // and span ids (Telemetry:Otlp:Logs); it is never left current across the pooled context.
                var previous = Activity.Current;
                Activity.Current = trace;
                try
                {
                    LogTransaction(request, rc, elapsed);
                }
                finally
                {
                    Activity.Current = previous;
                }
            }
        }

        if (trace is not null)
        {
            EndTrace(context, trace, rc);
        }
    }

    private void LogTransaction(IsoMessage request, string responseCode, double elapsed)
    {
        request.TryGetNumber(DataElements.Amount, out var amount);
        Log.Transaction(
            _logger,
            FormatMti(request.Mti),
            request.GetString(DataElements.ProcessingCode) ?? "------",
            SensitiveData.MaskPan(CardFields.Pan(request)),
            amount,
            responseCode,
            elapsed);
    }

    /// <summary>Ends the request's span with what it was and how it was answered; never the PAN, PIN block or track data.</summary>
    private static void EndTrace(MessageContext context, Activity trace, string responseCode)
    {
        var request = context.Request;
        AtmTracing.EndRequest(
            trace,
            responseCode,
            request.GetString(DataElements.ProcessingCode),
            context.Terminal?.TerminalId ?? request.GetString(DataElements.TerminalId)?.TrimEnd(' '),
            request.TryGetNumber(DataElements.Amount, out var amount) ? amount : null);
    }

    /// <summary>Replaces whatever a failed handler left in the response with a clean 96.</summary>
    public static void AnswerSystemMalfunction(MessageContext context)
    {
        var response = context.Response;
        var mti = response.Mti;
        response.Clear();
        response.Mti = mti;
        Echo(context);
        context.Answer(ResponseCodes.SystemMalfunction);
    }

    private static void Echo(MessageContext context)
    {
        foreach (var field in context.EchoedFields)
        {
            context.Response.CopyFrom(context.Request, field);
        }
    }

    public static string FormatMti(int mti) => MessageTypes.Format(mti);

    private ValueTask<DispatchDecision> CheckTerminalAndRoute(
        MessageContext context, MessageRoute route, TerminalRecord? terminal, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (terminal is not { Enabled: true })
        {
            return ValueTask.FromResult(RefuseUnknownTerminal(context));
        }

        if (!context.Terminals.MayServe(terminal.TerminalId))
        {
            return ValueTask.FromResult(Refuse(context, ResponseCodes.NotPermittedToTerminal, "terminal not named by this connection's client certificate"));
        }

        context.Terminal = terminal;
        if (_terminalAuthentication.Refuses(context, route, terminal))
        {
            // Before its keys are looked at, so that a request nothing authenticates cannot make pending keys current.
            return ValueTask.FromResult(DispatchDecision.Handle);
        }

        var keyUse = WorkingKeyUse.None;
        if (terminal.RequiresMac)
        {
            // Every request of a MAC terminal, financial or network management, must carry a MAC, under its current key,
            // the previous one during the overlap, or its pending one (whose first use makes it current). The answer is
            // MACed under the key that verified the request; an answer to a request no key verifies carries none, so
            // that nobody can have the host MAC a message of their choosing.
            keyUse = RequestKeyCheck.VerifyMac(terminal, request, _time, includePending: true, out var macKey);
            context.ResponseMacKey = macKey;
        }
        else if (terminal.PendingKeys is not null
            && route.Representative.IsFinancial
            && context.Terminals.TryFind(request.Get(DataElements.TerminalId), out _, out _)
            && RequestKeyCheck.PinUnderPendingKey(terminal, request, _time))
        {
            keyUse = WorkingKeyUse.Pending;
        }

        return keyUse == WorkingKeyUse.Pending
            ? PromoteThenCheckAsync(context, route, terminal, cancellationToken)
            : ValueTask.FromResult(CheckRequest(context, route, authenticated: !terminal.RequiresMac || keyUse != WorkingKeyUse.None));
    }

    /// <summary>
    /// The request is the terminal's first under its pending keys: they become current before it goes on, and it is
    /// checked again under the terminal as stored then (a later exchange may have replaced the keys it used).
    /// </summary>
    private async ValueTask<DispatchDecision> PromoteThenCheckAsync(
        MessageContext context, MessageRoute route, TerminalRecord terminal, CancellationToken cancellationToken)
    {
        var stored = await _routes.KeyPromotion.PromoteAsync(context, terminal, cancellationToken);
        context.Terminal = stored;
        var authenticated = true;
        if (stored.RequiresMac)
        {
            authenticated = RequestKeyCheck.VerifyMac(stored, context.Request, _time, includePending: false, out var macKey) != WorkingKeyUse.None;
            context.ResponseMacKey = macKey;
        }

        return CheckRequest(context, route, authenticated);
    }

    /// <summary>PROTOCOL.md §6 from the sign-on check on, once the terminal is known and the request's keys are told.</summary>
    /// <param name="authenticated">False when the terminal requires MACs and no key of its verifies the request's.</param>
    private DispatchDecision CheckRequest(MessageContext context, MessageRoute route, bool authenticated)
    {
        var request = context.Request;
        if (route.Representative.IsFinancial && !context.Terminals.TryFind(request.Get(DataElements.TerminalId), out _, out _))
        {
            return Refuse(context, ResponseCodes.NotPermittedToTerminal, "terminal not signed on over this connection");
        }

        if (!authenticated)
        {
            // Never processed; the route table's MAC-failure handler journals (and logs) it as a security event, unless its
            // terminal or address is throttled, and answers 63.
            context.Handler = _routes.MacFailure;
            return DispatchDecision.Handle;
        }

        if (MissingField(request, route.CommonMandatoryFields) is { } missing)
        {
            return Refuse(context, ResponseCodes.FormatError, MissingFieldReason(missing));
        }

        context.Handler = route.Resolve(request);
        if (context.Handler is null)
        {
            return Refuse(context, ResponseCodes.InvalidTransaction, "unsupported processing code");
        }

        return MissingField(request, context.Handler.MandatoryFields) is { } missingForTransaction
            ? Refuse(context, ResponseCodes.FormatError, MissingFieldReason(missingForTransaction))
            : DispatchDecision.Handle;
    }

    private static int? MissingField(IsoMessage request, ReadOnlySpan<int> mandatory)
    {
        foreach (var field in mandatory)
        {
            if (!request.Has(field))
            {
                return field;
            }
        }

        return null;
    }

    private async ValueTask<DispatchDecision> AwaitTerminalAsync(
        MessageContext context, MessageRoute route, ValueTask<TerminalRecord?> lookup, CancellationToken cancellationToken) =>
        await CheckTerminalAndRoute(context, route, await lookup, cancellationToken);

    /// <summary>
    /// A request that does not parse is answered 30 without a MAC, whoever its DE 41 names: its MAC cannot be checked, and
    /// the host MACs only answers to requests it has authenticated.
    /// </summary>
    private static DispatchDecision RefuseMalformed(MessageContext context)
    {
        context.Answer(ResponseCodes.FormatError);
        return DispatchDecision.Respond;
    }

    private ValueTask<TerminalRecord?> FindTerminalAsync(MessageContext context, CancellationToken cancellationToken)
    {
        // A signed-on terminal's id string already exists; only a first contact allocates one.
        var field = context.Request.Get(DataElements.TerminalId);
        var terminalId = context.Terminals.TryFind(field, out var signedOnId, out _)
            ? signedOnId
            : Encoding.ASCII.GetString(field).TrimEnd(' ');
        return _ledger.FindTerminalAsync(terminalId, cancellationToken);
    }

    /// <summary>Answers <paramref name="responseCode"/>, logged at most once a minute per address and reason (<see cref="LogRateLimit"/>).</summary>
    private DispatchDecision Refuse(MessageContext context, string responseCode, string reason)
    {
        if (_refusals.ShouldLog(_logger, context.RemoteAddress, reason))
        {
            Log.Refused(_logger, FormatMti(context.Request.Mti), responseCode, reason);
        }

        context.Answer(responseCode);
        return DispatchDecision.Respond;
    }

    /// <summary>
    /// 58 for a DE 41 that names no registered, enabled terminal: a security violation of its address (there is no
    /// terminal to journal it under), logged one by one until the address is throttled.
    /// </summary>
    private DispatchDecision RefuseUnknownTerminal(MessageContext context)
    {
        if (_routes.Violations.UnknownTerminal(context))
        {
            Log.Refused(_logger, FormatMti(context.Request.Mti), ResponseCodes.NotPermittedToTerminal, "terminal unknown or disabled");
        }

        context.Answer(ResponseCodes.NotPermittedToTerminal);
        return DispatchDecision.Respond;
    }

    private static string MissingFieldReason(int field) =>
        string.Create(CultureInfo.InvariantCulture, $"mandatory DE {field} is missing");

    /// <summary>A parse error without the offending byte when it belongs to card data or secrets.</summary>
    private static string DescribeSafely(in ParseError error) =>
        error.Kind is ParseErrorKind.InvalidCharacter or ParseErrorKind.InvalidLengthPrefix
        && SensitiveData.VisibilityOf(error.Field) != FieldVisibility.Clear
            ? string.Create(CultureInfo.InvariantCulture, $"DE {error.Field}: {error.Kind} at offset {error.Offset} (byte not shown: card data)")
            : error.ToString();
}
