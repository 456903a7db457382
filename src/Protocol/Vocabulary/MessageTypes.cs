using System.Globalization;

namespace SocketAtm.Protocol.Vocabulary;

/// <summary>
/// The message type indicators (MTIs) SocketAtm speaks, as integers (0200 is 200), and the arithmetic of their digits:
/// the third digit is the function (0 request, 1 response, 2 advice, 3 advice response), the last the origin, where 1
/// marks a repeat of a request sent before.
/// </summary>
public static class MessageTypes
{
    public const int AuthorizationRequest = 100;
    public const int AuthorizationResponse = 110;
    public const int FinancialRequest = 200;
    public const int FinancialRequestRepeat = 201;
    public const int FinancialResponse = 210;

    /// <summary>Upstream: a stand-in advice, a withdrawal the acquirer approved for the issuer while the link was down.</summary>
    public const int FinancialAdvice = 220;
    public const int FinancialAdviceRepeat = 221;
    public const int FinancialAdviceResponse = 230;
    public const int ReversalRequest = 400;
    public const int ReversalRequestRepeat = 401;
    public const int ReversalResponse = 410;
    public const int ReversalAdvice = 420;
    public const int ReversalAdviceRepeat = 421;
    public const int ReversalAdviceResponse = 430;
    public const int NetworkManagementRequest = 800;
    public const int NetworkManagementResponse = 810;

    /// <summary>The response MTI of a request or advice: function up by one, origin 0 (0401 → 0410, 0421 → 0430).</summary>
    public static int ResponseOf(int requestMti) => (requestMti / 10 * 10) + 10;

    /// <summary>The class a request belongs to: the repeat cleared, so 0201 is handled as 0200.</summary>
    public static int ClassOf(int mti) => mti - (mti % 2);

    /// <summary>The repeat of a request's class (0200 → 0201).</summary>
    public static int RepeatOf(int mti) => ClassOf(mti) + 1;

    /// <summary>Whether the MTI marks a repeat (last digit odd: 0201, 0401, 0421).</summary>
    public static bool IsRepeat(int mti) => mti % 2 == 1;

    /// <summary>Whether the MTI is an authorization or financial request, or its repeat (0100, 0101, 0200, 0201): not an advice (0220) nor a response.</summary>
    public static bool IsFinancialRequest(int mti) => ClassOf(mti) is AuthorizationRequest or FinancialRequest;

    /// <summary>Whether the MTI is of the network management class (08xx: sign-on, echo, key exchange), not a transaction.</summary>
    public static bool IsNetworkManagement(int mti) => mti / 100 == NetworkManagementRequest / 100;

    /// <summary>Whether the MTI is a response or an advice response (third digit odd: 0210, 0430), which a host never answers.</summary>
    public static bool IsResponse(int mti) => mti / 10 % 10 % 2 == 1;

    /// <summary>The four digits of an MTI as sent, or "????" for a message whose MTI could not be read (negative).</summary>
    public static string Format(int mti) => mti < 0 ? "????" : mti.ToString("D4", CultureInfo.InvariantCulture);
}
