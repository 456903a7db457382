using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SocketAtm.Server.Hosting;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Tests.Sessions;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Tests.Transport;

/// <summary>The limits a connection lives under: per-address cap at accept, and in-flight requests per connection.</summary>
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task Connections_beyond_the_per_address_cap_are_closed_at_accept_while_other_addresses_are_served()
    {
        await using var server = await RunningServer.StartAsync("--Listener:MaxConnectionsPerAddress=2");
        using var first = await server.ConnectAsync("127.0.0.1");
        using var second = await server.ConnectAsync("127.0.0.1");
        await server.WaitForOpenConnectionsAsync(2);

        Assert.True(await server.IsRefusedAsync("127.0.0.1", 3));
        using var elsewhere = await server.ConnectAsync("127.0.0.2");

        Assert.Equal("00", await RunningServer.EchoAsync(elsewhere, 4));
        Assert.Equal("00", await RunningServer.EchoAsync(first, 1));
        Assert.Equal(1, server.Count("socketatm.connections.refused/reason=max_connections_per_address"));
        Assert.Single(server.Lines, line => line.Contains("refused: 2 connections open from this address, the cap is 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_closed_connection_gives_its_place_back_to_its_address()
    {
        await using var server = await RunningServer.StartAsync("--Listener:MaxConnectionsPerAddress=1");
        using (var first = await server.ConnectAsync())
        {
            Assert.Equal("00", await RunningServer.EchoAsync(first, 1));
        }

        await server.WaitForOpenConnectionsAsync(0);
        using var again = await server.ConnectAsync();

        Assert.Equal("00", await RunningServer.EchoAsync(again, 2));
        Assert.Equal(0, server.Count("socketatm.connections.refused"));
    }

    [Fact]
    public async Task The_global_connection_cap_is_counted_with_its_own_reason()
    {
        await using var server = await RunningServer.StartAsync("--Listener:MaxConnections=1");
        using var first = await server.ConnectAsync("127.0.0.1");
        await server.WaitForOpenConnectionsAsync(1);

        Assert.True(await server.IsRefusedAsync("127.0.0.3", 2));
        Assert.Equal(1, server.Count("socketatm.connections.refused/reason=max_connections"));
        Assert.Equal(0, server.Count("socketatm.connections.refused/reason=max_connections_per_address"));
    }

    [Fact]
    public void The_per_address_cap_defaults_to_a_tenth_of_the_connection_cap()
    {
        var defaults = new ListenerOptions();

        Assert.Equal(1_000, defaults.MaxConnectionsPerAddress);
        Assert.Equal(defaults.MaxConnections / 10, defaults.MaxConnectionsPerAddress);
    }

    [Fact]
    public void A_per_address_cap_of_zero_fails_validation_with_one_readable_line()
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), "--Listener:MaxConnectionsPerAddress=0"]);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<ListenerOptions>>().Value);

        Assert.True(StartupFailure.TryDescribe(failure, out var message));
        Assert.Contains("Listener:MaxConnectionsPerAddress must be between 1 and 1000000.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ipv4_peer_on_a_dual_stack_socket_counts_as_its_ipv4_address()
    {
        var counter = new ConnectionsPerAddress(1);

        Assert.True(counter.TryAcquire(IPAddress.Parse("192.0.2.7"), out _));
        Assert.False(counter.TryAcquire(IPAddress.Parse("::ffff:192.0.2.7"), out var open));
        Assert.Equal(1, open);
        Assert.True(counter.TryAcquire(IPAddress.Parse("192.0.2.8"), out _));

        counter.Release(IPAddress.Parse("::ffff:192.0.2.7"));
        Assert.Equal(0, counter.OpenFrom(IPAddress.Parse("192.0.2.7")));
        Assert.True(counter.TryAcquire(IPAddress.Parse("192.0.2.7"), out _));
    }

    [Fact]
    public void Ipv6_peers_are_counted_per_64_bit_prefix()
    {
        var counter = new ConnectionsPerAddress(2);

        Assert.True(counter.TryAcquire(IPAddress.Parse("2001:db8:1:2::1"), out _));
        Assert.True(counter.TryAcquire(IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:fffe"), out _));
        Assert.False(counter.TryAcquire(IPAddress.Parse("2001:db8:1:2:abcd::9"), out var open)); // same /64, any interface id
        Assert.Equal(2, open);
        Assert.True(counter.TryAcquire(IPAddress.Parse("2001:db8:1:3::1"), out _)); // the next /64 is another site
        Assert.True(counter.TryAcquire(IPAddress.Parse("fe80::1%2"), out _));
        Assert.Equal(1, counter.OpenFrom(IPAddress.Parse("fe80::2%3"))); // scope ids do not split a prefix

        counter.Release(IPAddress.Parse("2001:db8:1:2::77"));
        Assert.Equal(1, counter.OpenFrom(IPAddress.Parse("2001:db8:1:2::1")));
        counter.Release(IPAddress.Parse("2001:db8:1:2::1"));
        counter.Release(IPAddress.Parse("2001:db8:1:3::1"));
        counter.Release(IPAddress.Parse("fe80::1"));
        Assert.Equal(0, counter.TrackedAddresses); // the table holds only prefixes with open connections
    }

    [Fact]
    public void A_connection_stops_counting_as_unsigned_once_a_terminal_signs_on_and_gives_every_place_back_once()
    {
        var caps = new AddressCaps(maxPerAddress: 3, maxUnsignedPerAddress: 1);
        var peer = IPAddress.Parse("2001:db8::7");

        Assert.True(caps.TryAdmit(peer, out var first, out _, out _));
        Assert.False(caps.TryAdmit(IPAddress.Parse("2001:db8::8"), out _, out var refusedFor, out var open)); // same /64
        Assert.Equal((AddressCaps.UnsignedPerAddressReason, 1), (refusedFor, open));

        first!.SignedOn();
        first.SignedOn();
        Assert.True(caps.TryAdmit(peer, out var second, out _, out _));
        second!.SignedOn();
        Assert.True(caps.TryAdmit(peer, out var third, out _, out _));
        Assert.False(caps.TryAdmit(peer, out _, out refusedFor, out open)); // three open: the cap on all connections
        Assert.Equal((AddressCaps.PerAddressReason, 3), (refusedFor, open));

        third!.Release();
        third.Release();
        Assert.Equal(0, caps.UnsignedFrom(peer));
        Assert.True(caps.TryAdmit(peer, out var fourth, out _, out _));
        foreach (var place in new[] { first, second, fourth! })
        {
            place.Release();
        }

        Assert.True(caps.TryAdmit(peer, out _, out _, out _));
        Assert.True(caps.TryAdmit(IPAddress.Parse("2001:db8:0:1::1"), out _, out _, out _)); // another /64
    }

    [Fact]
    public void The_unsigned_cap_defaults_to_a_reconnect_burst_and_under_one_percent_of_the_connection_cap()
    {
        var defaults = new ListenerOptions();

        Assert.Equal(64, defaults.MaxUnsignedConnectionsPerAddress);
        Assert.True(defaults.MaxUnsignedConnectionsPerAddress * 100 < defaults.MaxConnections);
    }

    [Fact]
    public void An_unsigned_cap_of_zero_fails_validation_with_one_readable_line()
    {
        using var host = ServerHost.Build(["--data", Path.GetTempPath(), "--Listener:MaxUnsignedConnectionsPerAddress=0"]);

        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<ListenerOptions>>().Value);

        Assert.True(StartupFailure.TryDescribe(failure, out var message));
        Assert.Contains("Listener:MaxUnsignedConnectionsPerAddress must be between 1 and 1000000.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_pauses_at_the_in_flight_limit_and_resumes_when_an_answer_frees_a_slot()
    {
        var ledger = new FakeLedger();
        var held = new TaskCompletionSource<LedgerOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        ledger.Decide = _ => held.Task;
        await using var host = new SessionHarness(ledger, new ListenerOptions { MaxInFlightPerConnection = 2 });
        await host.SendAsync(DemoRequests.SignOn());
        Assert.Equal("00", (await host.ReceiveAsync())!.GetString(39));

        for (var stan = 10; stan < 13; stan++)
        {
            await host.SendAsync(DemoRequests.Withdrawal(1000, stan));
        }

        await WaitUntilAsync(() => ledger.Requests.Count == 2);
        await Task.Delay(100);
        Assert.Equal(2, ledger.Requests.Count); // the third request waits unread

        held.SetResult(new LedgerOutcome { ResponseCode = "00", AccountType = AccountType.Checking, Currency = 840 });
        var answered = new[] { await host.ReceiveAsync(), await host.ReceiveAsync(), await host.ReceiveAsync() };

        Assert.Equal(3, ledger.Requests.Count);
        Assert.Equal(["000010", "000011", "000012"], answered.Select(a => a!.GetString(11)).Order(StringComparer.Ordinal));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        Assert.True(condition());
    }
}
