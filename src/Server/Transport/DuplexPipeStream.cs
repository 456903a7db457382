using System.Buffers;
using System.IO.Pipelines;

namespace SocketAtm.Server.Transport;

/// <summary>
/// The socket's <see cref="IDuplexPipe"/> seen as a <see cref="Stream"/>, which is what <see cref="System.Net.Security.SslStream"/>
/// reads ciphertext from and writes it to. Asynchronous only: SslStream's asynchronous API never calls the blocking members.
/// Disposing completes both directions of the pipe, which closes the socket.
/// </summary>
internal sealed class DuplexPipeStream : Stream
{
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private int _disposed;

    public DuplexPipeStream(IDuplexPipe transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _input = transport.Input;
        _output = transport.Output;
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (result.IsCanceled)
            {
                _input.AdvanceTo(buffer.Start);
                throw new OperationCanceledException("The read was cancelled.");
            }

            if (!buffer.IsEmpty)
            {
                // A zero-byte read only waits for data, consuming none.
                var count = (int)Math.Min(buffer.Length, destination.Length);
                buffer.Slice(0, count).CopyTo(destination.Span);
                _input.AdvanceTo(buffer.GetPosition(count));
                return count;
            }

            _input.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                return 0;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        var flush = await _output.WriteAsync(source, cancellationToken);
        if (flush.IsCompleted)
        {
            throw new IOException("The connection is closed.");
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Every write is flushed by WriteAsync already.
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Asynchronous reads only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Asynchronous writes only.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _input.CompleteAsync();
            await _output.CompleteAsync();
        }

        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _input.Complete();
            _output.Complete();
        }

        base.Dispose(disposing);
    }
}
