using SocketAtm.TerminalClient.Scripted;

namespace SocketAtm.TerminalClient.Tests.Scripted;

public class HostListTests
{
    [Fact]
    public void A_comma_separated_host_list_becomes_the_first_host_and_its_fail_over_hosts()
    {
        var settings = new ScriptSettings("10.0.0.1, 10.0.0.2:9000,10.0.0.3", 8583, "ATM00009", TimeSpan.FromSeconds(5), null, false, false);

        var connection = settings.Connection;

        Assert.Equal("10.0.0.1", connection.Host);
        Assert.Equal(8583, connection.Port);
        Assert.Equal(["10.0.0.2:9000", "10.0.0.3:8583"], connection.FailoverHosts);
    }

    [Fact]
    public void A_single_host_with_a_port_overrides_the_port_option()
    {
        var connection = new ScriptSettings("atm-host:9100", 8583, "ATM00009", TimeSpan.FromSeconds(5), null, false, false).Connection;

        Assert.Equal("atm-host", connection.Host);
        Assert.Equal(9100, connection.Port);
        Assert.Empty(connection.FailoverHosts);
    }
}
