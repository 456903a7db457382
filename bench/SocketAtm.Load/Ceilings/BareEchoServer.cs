using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using SocketAtm.Protocol.Framing;

namespace SocketAtm.Load.Ceilings;

/// <summary>
/// The transport ceiling: a length-prefixed echo server and nothing else — System.IO.Pipelines over sockets, every
/// complete frame sent back as it came, one flush per read. Whatever the host does beyond this (parsing, routing,
/// answering) is what the echo ratio measures. Runs as a process of its own (<c>SocketAtm.Load echo-server</c>), like the host.
/// </summary>
internal static class BareEchoServer
{
    public static async Task<int> RunAsync(int port, TextWriter output)
    {
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(1024);
        await output.WriteLineAsync($"Listening on {listener.LocalEndPoint}");
        await output.FlushAsync();
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var socket = await listener.AcceptAsync(stop.Token);
                socket.NoDelay = true;
                connections.Add(EchoAsync(socket, stop.Token));
                connections.RemoveAll(task => task.IsCompleted);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        await Task.WhenAll(connections);
        return 0;
    }

    private static async Task EchoAsync(Socket socket, CancellationToken stop)
    {
        await Task.Yield();
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var input = PipeReader.Create(stream);
        var output = PipeWriter.Create(stream);
        var frames = new LengthPrefixedFrameReader(LengthPrefixedFrameReader.DefaultMaxFrameLength);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(stop);
                var buffer = result.Buffer;
                var consumed = buffer.Start;
                var echoed = false;
                while (true)
                {
                    var before = buffer;
                    var status = frames.TryReadFrame(ref buffer, out _, out _);
                    if (status != FrameReadStatus.Frame)
                    {
                        if (status == FrameReadStatus.FrameTooLarge)
                        {
                            return;
                        }

                        break;
                    }

                    // The whole frame, header included, goes back as it came.
                    var frame = before.Slice(0, buffer.Start);
                    foreach (var segment in frame)
                    {
                        output.Write(segment.Span);
                    }

                    consumed = buffer.Start;
                    echoed = true;
                }

                input.AdvanceTo(consumed, buffer.End);
                if (echoed)
                {
                    var flushed = await output.FlushAsync(stop);
                    if (flushed.IsCompleted)
                    {
                        return;
                    }
                }

                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException)
        {
            // The client went away, or the server is stopping.
        }
        finally
        {
            await input.CompleteAsync();
            await output.CompleteAsync();
        }
    }
}
