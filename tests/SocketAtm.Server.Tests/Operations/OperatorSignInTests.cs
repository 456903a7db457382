using Microsoft.AspNetCore.Http;
using SocketAtm.Server.Operations.Access;

namespace SocketAtm.Server.Tests.Operations;

/// <summary>The sign-in page's checks: a return path of this site only (no open redirect), POSTs from this origin only.</summary>
public sealed class OperatorSignInTests
{
    [Theory]
    [InlineData("/console?tab=routes", "/console?tab=routes")]
    [InlineData("/metrics", "/metrics")]
    [InlineData("//evil.example/", OperatorSignIn.DefaultReturnPath)]
    [InlineData("/\\evil.example/", OperatorSignIn.DefaultReturnPath)]
    [InlineData("https://evil.example/", OperatorSignIn.DefaultReturnPath)]
    [InlineData("/sign-in?return=/x", OperatorSignIn.DefaultReturnPath)]
    [InlineData("/a\r\nSet-Cookie: x=y", OperatorSignIn.DefaultReturnPath)]
    [InlineData("", OperatorSignIn.DefaultReturnPath)]
    public void Only_a_path_of_this_site_is_returned_to(string candidate, string expected) =>
        Assert.Equal(expected, OperatorSignIn.LocalPath(candidate));

    [Theory]
    [InlineData("https://ops.example:8590", null, true)]
    [InlineData("HTTPS://OPS.EXAMPLE:8590", null, true)]
    [InlineData("https://evil.example", null, false)]
    [InlineData("http://ops.example:8590", null, false)]
    [InlineData("null", null, false)]
    [InlineData(null, "https://ops.example:8590/sign-in?return=/console", true)]
    [InlineData(null, "https://evil.example/ops.example:8590", false)]
    [InlineData(null, null, false)]
    public void A_post_is_same_origin_by_its_origin_or_lacking_one_its_referer(string? origin, string? referer, bool expected)
    {
        var request = new DefaultHttpContext().Request;
        request.Scheme = "https";
        request.Host = new HostString("ops.example:8590");
        if (origin is not null)
        {
            request.Headers.Origin = origin;
        }

        if (referer is not null)
        {
            request.Headers.Referer = referer;
        }

        Assert.Equal(expected, OperatorSignIn.IsSameOrigin(request));
    }
}
