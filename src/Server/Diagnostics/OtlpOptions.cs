namespace SocketAtm.Server.Diagnostics;

/// <summary>
/// Export of the host's traces, and with <see cref="Logs"/> its log events, over OTLP (configuration section
/// "Telemetry:Otlp"). Without an endpoint — here or in the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> — nothing is traced
/// and nothing is sent.
/// </summary>
internal sealed class OtlpOptions
{
    public const string SectionName = "Telemetry:Otlp";

    public const string HttpProtobuf = "http/protobuf";

    public const string Grpc = "grpc";

    /// <summary>The standard variables, read when this section leaves the setting out.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string ProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>
    /// The collector's base address, an absolute http(s) URI (<c>http://collector:4318</c>); over http/protobuf the host
    /// appends <c>/v1/traces</c> as the standard variable does. Null: no tracing.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary><see cref="HttpProtobuf"/> (the default) or <see cref="Grpc"/>.</summary>
    public string? Protocol { get; set; }

    /// <summary>The share of requests traced, from 0 to 1 (parent-based: a sampled parent's children always are); 1 by default.</summary>
    public double SampleRatio { get; set; } = 1.0;

    /// <summary>
    /// True: the log events the Serilog sinks receive (at the levels Serilog's configuration lets through) go to the same
    /// collector as well, over <c>/v1/logs</c>. False by default; true needs an endpoint.
    /// </summary>
    public bool Logs { get; set; }

    /// <summary>True when traces go to a collector: an endpoint is set, here or in the standard variable.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(Endpoint);

    /// <summary>The endpoint parsed; null unless it is an absolute http or https URI.</summary>
    public Uri? EndpointUri =>
        Uri.TryCreate(Endpoint?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;

    public bool IsGrpc => string.Equals(Protocol?.Trim(), Grpc, StringComparison.OrdinalIgnoreCase);

    /// <summary>Where one signal's export goes: over http/protobuf the base address and the signal's path (<c>v1/traces</c>); over gRPC the address itself.</summary>
    public Uri SignalUri(string signalPath)
    {
        var endpoint = EndpointUri ?? throw new InvalidOperationException("The OTLP endpoint is not valid; validate the options first.");
        if (IsGrpc)
        {
            return endpoint;
        }

        var builder = new UriBuilder(endpoint);
        builder.Path = builder.Path.TrimEnd('/') + "/" + signalPath;
        return builder.Uri;
    }

    /// <summary>The endpoint as logged: scheme, host, port and path only — never user information or a query, which may carry a credential.</summary>
    public string DescribeEndpoint() =>
        EndpointUri is { } uri ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped) : "(invalid)";
}
