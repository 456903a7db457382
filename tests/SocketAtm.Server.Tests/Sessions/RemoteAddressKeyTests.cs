using System.Net;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Tests.Sessions;

/// <summary>The key a remote party is counted under by the connection caps, the violation throttle and the rate-limited logs.</summary>
public sealed class RemoteAddressKeyTests
{
    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")] // IPv4 on a dual-stack socket
    [InlineData("2001:db8:1:2::5", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")] // any address of the /64 is one party
    [InlineData("fe80::1%3", "fe80::/64")]
    public void An_address_is_counted_as_its_IPv4_form_or_its_IPv6_64(string address, string key)
    {
        Assert.Equal(key, RemoteAddressKey.Of(address));
        Assert.Equal(key, RemoteAddressKey.Of(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not an address")]
    public void No_address_has_no_key(string? address) => Assert.Null(RemoteAddressKey.Of(address));
}
