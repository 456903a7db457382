using System.Buffers;
using BenchmarkDotNet.Attributes;
using SocketAtm.Fixtures;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Bench.Micro;

/// <summary>The codec's hot path for one withdrawal: parse the 0200, build and frame the 0210.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly IsoMessage _request = new();
    private readonly IsoMessage _response = new();
    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private ReadOnlySequence<byte> _requestPayload;

    [GlobalSetup]
    public void Setup()
    {
        var frame = ReferenceMessages.ToFrame(ReferenceMessages.CreateWithdrawalRequest());
        _requestPayload = new ReadOnlySequence<byte>(frame, LengthPrefixedFrameReader.HeaderLength, frame.Length - LengthPrefixedFrameReader.HeaderLength);
        if (!IsoMessageParser.TryParse(_requestPayload, _request, out var error))
        {
            throw new InvalidOperationException("The reference withdrawal does not parse: " + error);
        }
    }

    /// <summary>The reference 0200 from a pre-built payload into a reused message.</summary>
    [Benchmark]
    public bool ParseWithdrawalRequest() => IsoMessageParser.TryParse(_requestPayload, _request, out _);

    /// <summary>The 0210 built from the parsed 0200 and framed into a reused buffer.</summary>
    [Benchmark]
    public int BuildWithdrawalResponse()
    {
        _output.ResetWrittenCount();
        ReferenceMessages.FillWithdrawalResponse(_request, _response);
        return FrameWriter.WriteFrame(_output, _response);
    }
}
