using System.Globalization;
using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Masking;
using SocketAtm.Server.Diagnostics;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// Turns one parsed (or unparsable) request into a response: format errors, routing, mandatory fields and the
/// sign-on rule are decided here, once, for every handler. Never throws for bad input.
/// </summary>
internal sealed class MessageDispatcher
{
    /// <summary>Data elements echoed in every response when the request carried them.</summary>
    private static readonly int[] EchoedFields = [7, 11, 41];

    private readonly RouteTable _routes;
    private readonly ILogger _logger;
    private readonly AtmMetrics _metrics;
    private readonly TimeProvider _time;

    public MessageDispatcher(RouteTable routes, AtmMetrics metrics, TimeProvider time, ILogger<MessageDispatcher> logger)
    {
        _routes = routes;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>What the session does with a request.</summary>
    public DispatchDecision Prepare(MessageContext context, bool parsed, in ParseError error, out IMessageHandler? handler)
    {
        handler = null;
        var request = context.Request;
        if (request.Mti < 0)
        {
            Log.UnreadableMessage(_logger, error.ToString());
            return DispatchDecision.Close;
        }

        var function = (request.Mti / 10) % 10;
        if (function is not (0 or 2 or 4))
        {
            Log.IgnoredResponseMessage(_logger, FormatMti(request.Mti));
            return DispatchDecision.Ignore;
        }

        var response = context.Response;
        response.Mti = ((request.Mti / 10) * 10) + 10;
        foreach (var field in EchoedFields)
        {
            response.CopyFrom(request, field);
        }

        if (!parsed)
        {
            Log.MalformedMessage(_logger, FormatMti(request.Mti), DescribeSafely(error));
            context.Answer(ResponseCodes.FormatError);
            return DispatchDecision.Respond;
        }

        switch (_routes.Find(request, out handler))
        {
            case RouteResult.UnknownMessage:
                return Refuse(context, ResponseCodes.InvalidTransaction, "no route for this MTI");
            case RouteResult.UnknownProcessingCode:
                return Refuse(context, ResponseCodes.InvalidTransaction, "unsupported processing code");
            case RouteResult.MissingProcessingCode:
                return Refuse(context, ResponseCodes.FormatError, "DE 3 is missing");
        }

        foreach (var field in handler!.MandatoryFields)
        {
            if (!request.Has(field))
            {
                handler = null;
                return Refuse(context, ResponseCodes.FormatError, MissingFieldReason(field));
            }
        }

        if (handler.RequiresSignOn)
        {
            context.Terminal = context.Terminals.Find(request.Get(41));
            if (context.Terminal is null)
            {
                handler = null;
                return Refuse(context, ResponseCodes.NotPermittedToTerminal, "terminal not signed on over this connection");
            }
        }

        return DispatchDecision.Handle;
    }

    /// <summary>Records a response about to be sent: metrics, and the one Information line per financial transaction.</summary>
    public void Completed(MessageContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var responseCode = response.Get(39);
        var rc = responseCode.Length == 2 ? ResponseCodeText(responseCode) : "--";
        var elapsed = _time.GetElapsedTime(context.StartedAt).TotalMilliseconds;
        _metrics.MessageAnswered(request.Mti, rc, elapsed);
        if (RouteTable.ClassOf(request.Mti) != 800 && _logger.IsEnabled(LogLevel.Information))
        {
            request.TryGetNumber(4, out var amount);
            Log.Transaction(
                _logger,
                FormatMti(request.Mti),
                request.GetString(3) ?? "------",
                SensitiveData.MaskPan(CardFields.Pan(request)),
                amount,
                rc,
                elapsed);
        }
    }

    /// <summary>Replaces whatever a failed handler left in the response with a clean 96.</summary>
    public static void AnswerSystemMalfunction(MessageContext context)
    {
        var response = context.Response;
        var mti = response.Mti;
        response.Clear();
        response.Mti = mti;
        foreach (var field in EchoedFields)
        {
            response.CopyFrom(context.Request, field);
        }

        context.Answer(ResponseCodes.SystemMalfunction);
    }

    /// <summary>Response codes as interned strings, so metrics tags allocate nothing.</summary>
    private static string ResponseCodeText(ReadOnlySpan<byte> code) =>
        ResponseCodeStrings.TryGetValue(((code[0] - '0') * 10) + (code[1] - '0'), out var text) ? text : "??";

    private static readonly Dictionary<int, string> ResponseCodeStrings = Enumerable.Range(0, 100)
        .ToDictionary(n => n, n => n.ToString("D2", CultureInfo.InvariantCulture));

    private DispatchDecision Refuse(MessageContext context, string responseCode, string reason)
    {
        Log.Refused(_logger, FormatMti(context.Request.Mti), responseCode, reason);
        context.Answer(responseCode);
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

    public static string FormatMti(int mti) => mti < 0 ? "????" : mti.ToString("D4", CultureInfo.InvariantCulture);
}
