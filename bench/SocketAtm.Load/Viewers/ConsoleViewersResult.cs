namespace SocketAtm.Load.Viewers;

/// <summary>
/// What the console's viewers and the metrics scraper of a run (<c>--console-viewers</c>) got from the hosts'
/// operations ports during the measured window.
/// </summary>
internal sealed record ConsoleViewersResult
{
    public required int Asked { get; init; }

    /// <summary>Viewers whose GET /console/events was answered 200.</summary>
    public required int Connected { get; init; }

    /// <summary>Viewers answered 503 (more than Operations:Console:MaxViewers).</summary>
    public required int Refused { get; init; }

    /// <summary>Viewers that could not connect otherwise (another status, a connection error).</summary>
    public required int Failed { get; init; }

    /// <summary>Connected viewers whose stream ended before the window did.</summary>
    public required int Dropped { get; init; }

    /// <summary><c>frame</c> events received and JSON-parsed, all viewers together (the one <c>history</c> each is not counted).</summary>
    public required long Frames { get; init; }

    public required double Seconds { get; init; }

    public required int Scrapes { get; init; }

    /// <summary>GET /metrics answered 200.</summary>
    public required int ScrapesAnswered { get; init; }

    /// <summary>Why viewers or scrapes fell short, each reason once with how often.</summary>
    public required IReadOnlyDictionary<string, int> Problems { get; init; }

    public double FramesPerViewerPerSecond => Connected > 0 && Seconds > 0 ? Frames / (double)Connected / Seconds : 0;

    /// <summary>True when a viewer was refused, failed or dropped: the report says so (the run does not fail for it).</summary>
    public bool FellShort => Connected < Asked || Dropped > 0;
}
