using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SocketAtm.Server.Tests.Ledger.PostgreSql;

/// <summary>
/// A TCP proxy in front of PostgreSQL that, once armed, cuts the next connection that sends a COMMIT: either before
/// the server sees it (nothing committed) or after the server has it but before its answer comes back (committed,
/// and the client cannot know). Everything else passes through untouched.
/// </summary>
internal sealed class CommitCuttingProxy : IAsyncDisposable
{
    private static readonly byte[] Commit = Encoding.ASCII.GetBytes("COMMIT\0");
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _serverPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _armed;
    private volatile bool _cutAfterCommit;

    public CommitCuttingProxy(int serverPort)
    {
        _serverPort = serverPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections were cut.</summary>
    public int Cuts { get; private set; }

    /// <summary>Cuts the next connection that sends a COMMIT; <paramref name="afterServerHasIt"/> lets the server commit first.</summary>
    public void ArmOnce(bool afterServerHasIt)
    {
        _cutAfterCommit = afterServerHasIt;
        Volatile.Write(ref _armed, 1);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var server = new TcpClient();
        using var _ = client;
        await server.ConnectAsync(IPAddress.Loopback, _serverPort);
        var blackhole = false;
        var toServer = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var read = await client.GetStream().ReadAsync(buffer);
                if (read == 0)
                {
                    break;
                }

                if (buffer.AsSpan(0, read).IndexOf(Commit) >= 0 && Interlocked.Exchange(ref _armed, 0) == 1)
                {
                    Cuts++;
                    blackhole = true;
                    if (_cutAfterCommit)
                    {
                        await server.GetStream().WriteAsync(buffer.AsMemory(0, read));
                        await Task.Delay(300);
                    }

                    break;
                }

                await server.GetStream().WriteAsync(buffer.AsMemory(0, read));
            }

            client.Client.Close();
            server.Client.Close();
        });
        var toClient = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var read = await server.GetStream().ReadAsync(buffer);
                if (read == 0 || blackhole)
                {
                    break;
                }

                await client.GetStream().WriteAsync(buffer.AsMemory(0, read));
            }

            client.Client.Close();
            server.Client.Close();
        });
        try
        {
            await Task.WhenAll(toServer, toClient);
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            // A cut connection: that is the point.
        }
    }
}
