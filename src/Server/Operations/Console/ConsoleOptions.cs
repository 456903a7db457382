using System.ComponentModel.DataAnnotations;

namespace SocketAtm.Server.Operations.Console;

/// <summary>The operations console's limits (configuration section "Operations:Console").</summary>
internal sealed class ConsoleOptions
{
    public const string SectionName = OperationsOptions.SectionName + ":Console";

    /// <summary>False serves no console (health, readiness and metrics stay).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Browsers watching at once; one more is answered 503. Each costs one bounded queue of shared frames.</summary>
    [Range(1, 10_000, ErrorMessage = "Operations:Console:MaxViewers must be between 1 and 10000.")]
    public int MaxViewers { get; set; } = 100;

    /// <summary>
    /// Frames (one a second) a viewer may fall behind by before it is dropped: a stalled browser costs at most this many
    /// references to frames every viewer shares, plus the HTTP server's own output buffer.
    /// </summary>
    [Range(1, 600, ErrorMessage = "Operations:Console:ViewerBuffer must be between 1 and 600.")]
    public int ViewerBuffer { get; set; } = 10;

    /// <summary>Terminals listed at most (signed on first, then the most recently active); the count covers all.</summary>
    [Range(1, 10_000, ErrorMessage = "Operations:Console:TerminalsShown must be between 1 and 10000.")]
    public int TerminalsShown { get; set; } = 200;

    /// <summary>Seconds of history a viewer's charts start with.</summary>
    [Range(10, 3_600, ErrorMessage = "Operations:Console:HistorySeconds must be between 10 and 3600.")]
    public int HistorySeconds { get; set; } = 300;
}
