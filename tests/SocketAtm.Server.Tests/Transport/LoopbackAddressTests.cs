using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Tests.Transport;

public sealed class LoopbackAddressTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.2")]
    [InlineData("127.255.255.254")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    public void Loopback_addresses_and_localhost_are_loopback(string address)
    {
        Assert.True(LoopbackAddress.Is(address));
        Assert.True(new ListenerOptions { Address = address }.IsLoopback);
    }

    [Fact]
    public void A_loopback_listener_behind_a_proxy_serves_the_network_so_it_is_not_loopback()
    {
        Assert.False(new ListenerOptions { Address = "127.0.0.1", ProxyProtocol = ProxyProtocolMode.On, TrustedProxies = ["127.0.0.1"] }.IsLoopback);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("10.0.0.5")]
    [InlineData("192.168.1.20")]
    [InlineData("128.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("fe80::1")]
    [InlineData("")]
    [InlineData("localhost.example.com")]
    public void Every_other_address_is_off_loopback(string address)
    {
        Assert.False(LoopbackAddress.Is(address));
    }

    [Fact]
    public void Localhost_is_a_valid_listener_address_and_binds_127_0_0_1()
    {
        var options = new ListenerOptions { Address = "localhost" };

        Assert.Empty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
        Assert.Equal(System.Net.IPAddress.Loopback, options.GetBindAddress());
    }
}
