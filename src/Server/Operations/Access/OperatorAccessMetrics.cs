using System.Diagnostics.Metrics;
using SocketAtm.Server.Diagnostics;

namespace SocketAtm.Server.Operations.Access;

/// <summary>The operations port's refused requests, on the SocketAtm meter: <c>socketatm.operations.auth.failures</c> by reason.</summary>
internal sealed class OperatorAccessMetrics
{
    public const string FailuresName = "socketatm.operations.auth.failures";

    /// <summary>No credential on a guarded route (not counted against the address).</summary>
    public const string MissingCredential = "missing_credential";

    /// <summary>A wrong <c>Authorization: Bearer</c> token.</summary>
    public const string WrongBearer = "bearer";

    /// <summary>A session cookie that is no session (expired, signed out, from before a restart, or forged).</summary>
    public const string BadCookie = "cookie";

    /// <summary>No credential is configured and the request names a host other than this machine (a rebound DNS name).</summary>
    public const string ForeignHost = "foreign_host";

    /// <summary>A wrong token on the sign-in page.</summary>
    public const string WrongSignIn = "sign_in";

    /// <summary>Refused (429) because the address failed too often in the window.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>A sign-in or sign-out POST from another origin (or naming none).</summary>
    public const string CrossOrigin = "cross_origin";

    private readonly Counter<long> _failures;

    public OperatorAccessMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _failures = meterFactory.Create(AtmMetrics.MeterName).CreateCounter<long>(
            FailuresName, "{request}", "Operations-port requests refused for their credential, by reason (missing_credential, bearer, cookie, sign_in, rate_limited, cross_origin).");
    }

    public void Refused(string reason) => _failures.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
