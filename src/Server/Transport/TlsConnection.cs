using System.IO.Pipelines;
using System.Net.Security;

namespace SocketAtm.Server.Transport;

/// <summary>
/// An authenticated TLS connection presented to the session as plaintext pipes. Two pumps copy between the
/// <see cref="SslStream"/> and the pipes, so the session's own cancellations (timeouts, a graceful stop) only touch a
/// pipe and never interrupt a TLS record half read; the pipes' thresholds bound what a peer can make the host buffer.
/// </summary>
internal sealed class TlsConnection : IDuplexPipe, IAsyncDisposable
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly SslStream _tls;
    private readonly Stream _ciphertext;
    private readonly Pipe _received;
    private readonly Pipe _toSend;
    private readonly CancellationTokenSource _closing = new();
    private readonly Action _abortTransport;
    private readonly Task _receiving;
    private readonly Task _sending;

    /// <param name="tls">An authenticated stream over <paramref name="ciphertext"/>, which it leaves open.</param>
    /// <param name="abortTransport">Closes the socket at once, for a peer that stops reading while the host closes.</param>
    /// <param name="bufferLimit">Plaintext bytes buffered per direction before the pumps pause (back-pressure to the peer or the session).</param>
    public TlsConnection(SslStream tls, Stream ciphertext, Action abortTransport, IReadOnlySet<string>? boundTerminals, int bufferLimit)
    {
        _tls = tls;
        _ciphertext = ciphertext;
        _abortTransport = abortTransport;
        BoundTerminals = boundTerminals;
        var options = new PipeOptions(
            pauseWriterThreshold: bufferLimit,
            resumeWriterThreshold: bufferLimit / 2,
            minimumSegmentSize: 4096,
            useSynchronizationContext: false);
        _received = new Pipe(options);
        _toSend = new Pipe(options);
        _receiving = ReceiveAsync();
        _sending = SendAsync();
    }

    /// <summary>Decrypted bytes from the terminal.</summary>
    public PipeReader Input => _received.Reader;

    /// <summary>Plaintext for the terminal; completing it sends TLS close_notify.</summary>
    public PipeWriter Output => _toSend.Writer;

    /// <summary>The terminal ids the client certificate speaks for, or null when the connection is not bound to any.</summary>
    public IReadOnlySet<string>? BoundTerminals { get; }

    /// <summary>Call once the session is over: lets the last responses and close_notify go out (bounded), then closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        await _toSend.Writer.CompleteAsync();
        try
        {
            await _sending.WaitAsync(CloseTimeout);
        }
        catch (TimeoutException)
        {
            _abortTransport();
        }

        await _closing.CancelAsync();
        await _receiving;
        await _sending;
        await _received.Reader.CompleteAsync();
        await _tls.DisposeAsync();
        await _ciphertext.DisposeAsync();
        _closing.Dispose();
    }

    private async Task ReceiveAsync()
    {
        await Task.Yield();
        var writer = _received.Writer;
        Exception? failure = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(4096);
                var read = await _tls.ReadAsync(memory, _closing.Token);
                if (read == 0)
                {
                    break;
                }

                writer.Advance(read);
                var flush = await writer.FlushAsync(_closing.Token);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            // Closing: the session is over.
        }
        catch (Exception exception)
        {
            // Whatever broke the TLS stream (a reset, a bad record, a renegotiation attempt) ends the session as a lost connection.
            failure = exception as IOException ?? new IOException("The TLS connection failed.", exception);
        }

        await writer.CompleteAsync(failure);
    }

    private async Task SendAsync()
    {
        await Task.Yield();
        var reader = _toSend.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_closing.Token);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await _tls.WriteAsync(segment, _closing.Token);
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            await _tls.ShutdownAsync();
        }
        catch (Exception)
        {
            // The peer is gone or the host is closing: what was not sent cannot be, and the pump must not fault.
        }

        await reader.CompleteAsync();
    }
}
