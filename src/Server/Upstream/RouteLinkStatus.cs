using System.Text.Json.Serialization;

namespace SocketAtm.Server.Upstream;

/// <summary>What <c>admin routes</c> and the status file show of one route's link: no key material.</summary>
internal sealed record RouteLinkStatus
{
    public required string Route { get; init; }

    public required int Connections { get; init; }

    /// <summary>Connections with an open TCP (and TLS) connection, signed on or signing on.</summary>
    public required int ConnectionsUp { get; init; }

    public required int SignedOn { get; init; }

    /// <summary>The endpoint each signed-on connection is at, in connection order (null for one not signed on).</summary>
    public required IReadOnlyList<string?> Endpoints { get; init; }

    public required DateTimeOffset LastChange { get; init; }

    public required long Requests { get; init; }

    public required long Answered { get; init; }

    public required long TimedOut { get; init; }

    public required long NotSent { get; init; }

    public required long Untrusted { get; init; }

    public required long LateAnswers { get; init; }

    public required long UnmatchedAnswers { get; init; }

    public required long FramingErrors { get; init; }

    public required long LinkChanges { get; init; }

    /// <summary>The route's circuit breaker (closed in a file written before breakers were recorded).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<BreakerState>))]
    public BreakerState Breaker { get; init; }

    /// <summary>How many times the breaker opened since the host started.</summary>
    public long BreakerOpens { get; init; }
}
