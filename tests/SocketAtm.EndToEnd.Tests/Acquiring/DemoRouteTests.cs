using SocketAtm.IssuerSim;
using SocketAtm.Server.Ledger;

namespace SocketAtm.EndToEnd.Tests.Acquiring;

/// <summary>The demo route of a host on loopback reaches the issuer simulator with the key the simulator holds.</summary>
public sealed class DemoRouteTests
{
    [Fact]
    public void The_hosts_demo_zone_pin_key_is_the_simulators() => Assert.Equal(IssuerDemoData.ZonePinKey(), DemoData.ZonePinKey);
}
