using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Masking;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim.Wire;

/// <summary>
/// One acquirer connection: frames in through a pipe, one request decided at a time (its effect booked before the answer
/// is built), answers out through <see cref="AnswerWriter"/>, which applies the faults. Many requests may be in flight:
/// a delayed answer does not hold up the next request.
/// </summary>
internal sealed class IssuerConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly IssuerContext _context;
    private readonly CancellationTokenSource _closing = new();
    private readonly IsoMessage _request = new();
    private readonly IsoMessage _answer = new();
    private readonly AnswerWriter _writer;
    private readonly string _remote;
    private bool _signedOn;

    public IssuerConnection(Socket socket, IssuerContext context)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _context = context;
        _remote = socket.RemoteEndPoint?.ToString() ?? "?";
        _writer = new AnswerWriter(PipeWriter.Create(_stream), context, _remote, _closing.Token);
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        IssuerLog.Opened(_context.Logger, _remote);
        var reason = "closed by the acquirer";
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _closing.Token);
        var reader = PipeReader.Create(_stream);
        var frames = new LengthPrefixedFrameReader(_context.Options.MaxFrameLength);
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(linked.Token);
                var buffer = read.Buffer;
                var keepReading = true;
                while (keepReading)
                {
                    switch (frames.TryReadFrame(ref buffer, out var payload, out var declared))
                    {
                        case FrameReadStatus.Frame:
                            if (!payload.IsEmpty)
                            {
                                await HandleAsync(payload);
                            }

                            break;
                        case FrameReadStatus.FrameTooLarge:
                            IssuerLog.Oversized(_context.Logger, _remote, declared, frames.MaxFrameLength);
                            reason = "frame over the cap";
                            return;
                        default:
                            keepReading = false;
                            break;
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            reason = stopping.IsCancellationRequested ? "simulator stopping" : "reset";
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException)
        {
            reason = _closing.IsCancellationRequested ? "reset" : exception.Message;
        }
        finally
        {
            await reader.CompleteAsync();
            IssuerLog.Closed(_context.Logger, _remote, reason);
        }
    }

    /// <summary>Closes the connection now (a reset, or the simulator stopping); pending delayed answers are abandoned.</summary>
    public void Close()
    {
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        await _writer.DisposeAsync();
        await _stream.DisposeAsync();
        _closing.Dispose();
        _request.Clear();
        _answer.Clear();
    }

    private async Task HandleAsync(ReadOnlySequence<byte> payload)
    {
        if (!IsoMessageParser.TryParse(payload, _request, out var error))
        {
            IssuerLog.Unparsable(_context.Logger, _remote, error.ToString());
            return;
        }

        var mti = _request.Mti;
        if (MessageTypes.IsResponse(mti))
        {
            // An answer from the acquirer has nothing to answer.
            IssuerLog.Unparsable(_context.Logger, _remote, $"unexpected {MessageTypes.Format(mti)}");
            return;
        }

        var zak = _context.Options.ZoneMacKey;
        var macVerified = false;
        if (zak is not null && (mti != MessageTypes.NetworkManagementRequest || _request.Has(DataElements.Mac) || _request.Has(DataElements.SecondaryMac)))
        {
            macVerified = Protocol.Security.RetailMac.Verify(zak, _request);
            if (!macVerified)
            {
                IssuerLog.BadMac(_context.Logger, MessageTypes.Format(mti), _remote);
                Echo(mti == MessageTypes.NetworkManagementRequest ? NetworkManagementEcho : FinancialEcho);
                _answer.Set(DataElements.ResponseCode, ResponseCodes.SecurityViolation);
                await _writer.WriteAsync(_request, _answer, sign: false, financial: false);
                return;
            }
        }

        switch (mti)
        {
            case MessageTypes.NetworkManagementRequest:
                Echo(NetworkManagementEcho);
                var code = NetworkManagement();
                IssuerLog.NetworkManagement(_context.Logger, (int)(_request.TryGetNumber(DataElements.NetworkManagementCode, out var de70) ? de70 : -1), _remote, code);
                await _writer.WriteAsync(_request, _answer, macVerified, financial: false);
                return;
            case MessageTypes.AuthorizationRequest or MessageTypes.FinancialRequest:
                Echo(FinancialEcho);
                Log(_signedOn ? _context.Rules.Authorize(_request, _answer) : NotSignedOn());
                break;
            case MessageTypes.ReversalAdvice or MessageTypes.ReversalAdviceRepeat:
                Echo(FinancialEcho);
                Log(!_signedOn ? NotSignedOn() : _context.Options.RefuseReversals is { } refusal ? Answer(refusal) : _context.Rules.Reverse(_request, _answer));
                break;
            case MessageTypes.FinancialAdvice or MessageTypes.FinancialAdviceRepeat:
                Echo(FinancialEcho);
                Log(!_signedOn ? NotSignedOn() : _context.Options.RefuseAdvices is { } refused ? Answer(refused) : _context.Advices.Book(_request, _answer));
                break;
            default:
                // Repeats 0101/0201 are never forwarded by an acquirer, and 0400 goes upstream as 0420: not this contract.
                Echo(FinancialEcho);
                _answer.Set(DataElements.ResponseCode, ResponseCodes.InvalidTransaction);
                Log(ResponseCodes.InvalidTransaction);
                break;
        }

        await _writer.WriteAsync(_request, _answer, macVerified, financial: true);
    }

    private string NetworkManagement()
    {
        if (!_request.TryGetNumber(DataElements.NetworkManagementCode, out var code))
        {
            return Answer(ResponseCodes.FormatError);
        }

        switch (code)
        {
            case NetworkManagementCodes.SignOn:
                _signedOn = true;
                return Answer(ResponseCodes.Approved);
            case NetworkManagementCodes.SignOff:
                _signedOn = false;
                return Answer(ResponseCodes.Approved);
            case NetworkManagementCodes.Echo:
                return Answer(ResponseCodes.Approved);
            default:
                return Answer(ResponseCodes.InvalidTransaction);
        }
    }

    /// <summary>A financial request over a connection that has not signed on: 91, nothing applied or booked.</summary>
    private string NotSignedOn() => Answer(ResponseCodes.IssuerUnavailable);

    private string Answer(string responseCode)
    {
        _answer.Set(DataElements.ResponseCode, responseCode);
        return responseCode;
    }

    private void Echo(ReadOnlySpan<int> fields)
    {
        _answer.Clear();
        _answer.Mti = MessageTypes.ResponseOf(_request.Mti);
        foreach (var field in fields)
        {
            _answer.CopyFrom(_request, field);
        }
    }

    private void Log(string responseCode)
    {
        if (_context.Logger.IsEnabled(LogLevel.Information))
        {
            IssuerLog.Decided(
                _context.Logger, MessageTypes.Format(_request.Mti), _remote, _request.GetString(DataElements.AcquirerId), _request.GetString(DataElements.TerminalId),
                _request.GetString(DataElements.Stan), _request.GetString(DataElements.RetrievalReference), SensitiveData.MaskPan(CardFields.Pan(_request)),
                _request.GetString(DataElements.Amount), responseCode);
        }
    }

    private static ReadOnlySpan<int> NetworkManagementEcho =>
        [DataElements.TransmissionDateTime, DataElements.Stan, DataElements.AcquirerId, DataElements.NetworkManagementCode];

    private static ReadOnlySpan<int> FinancialEcho =>
    [
        DataElements.PrimaryAccountNumber, DataElements.ProcessingCode, DataElements.Amount, DataElements.TransmissionDateTime, DataElements.Stan,
        DataElements.AcquirerId, DataElements.RetrievalReference, DataElements.TerminalId, DataElements.Currency,
    ];
}
