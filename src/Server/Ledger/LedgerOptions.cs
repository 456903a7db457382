using System.ComponentModel.DataAnnotations;

namespace SocketAtm.Server.Ledger;

/// <summary>
/// Settings of the ledger, whichever store holds it (the data file, its log, checkpoints and record cache are LiteDB's
/// alone), bound from the configuration section <see cref="SectionName"/>.
/// </summary>
internal sealed class LedgerOptions
{
    public const string SectionName = "Ledger";

    /// <summary>Directory holding the database (<see cref="FileName"/>) and its log; created when missing.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Data file name; LiteDB's log sits beside it as <c>name-log.ext</c>.</summary>
    [Required]
    public string FileName { get; set; } = "ledger.db";

    /// <summary>Requests that may wait for the writer; beyond this, requests are answered 91 at once.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>Most requests applied in one transaction and made durable with one sync.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// LiteDB only: cards, accounts and daily-usage records (each) the writer keeps in memory across batches, so that busy
    /// cards skip the lookup; 0 turns the cache off. About 0.5 KB per card with its account and day (measured: +15 MB
    /// for 10,000 cards).
    /// </summary>
    [Range(0, 10_000_000)]
    public int CachedRecords { get; set; } = 50_000;

    /// <summary>Wrong PINs in a row that block the card (answered 75).</summary>
    [Range(1, 99)]
    public int PinTryLimit { get; set; } = 3;

    /// <summary>Copy the log into the data file after this many batches...</summary>
    [Range(1, int.MaxValue)]
    public int CheckpointEveryBatches { get; set; } = 1000;

    /// <summary>...or as soon as the log has grown past this many bytes.</summary>
    [Range(8192, long.MaxValue)]
    public long CheckpointLogSizeBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Daily withdrawal amount limit of a card added without one, in minor units.</summary>
    [Range(0, long.MaxValue)]
    public long DefaultDailyAmountLimit { get; set; } = 50_000;

    /// <summary>Daily withdrawal count limit of a card added without one.</summary>
    [Range(0, int.MaxValue)]
    public int DefaultDailyCountLimit { get; set; } = 10;

    /// <summary>
    /// Seed the demo terminals, keys and cards into a new, empty database — only while the listener is on loopback,
    /// unless <see cref="AllowDemoData"/>. Never for production.
    /// </summary>
    public bool SeedDemoData { get; set; } = true;

    /// <summary>
    /// Off loopback, seed and serve the published demo data anyway (a test network). False by default: a host whose
    /// listener is not loopback refuses to start while demo terminals or the demo PVK are in its ledger
    /// (<c>admin remove-demo-data</c> takes them out). When set, a warning is logged at every start.
    /// </summary>
    public bool AllowDemoData { get; set; }

    /// <summary>
    /// The key-encryption key as 64 hex digits. Give it through the environment (SOCKETATM_Ledger__KeyEncryptionKey) or
    /// the command line, never in appsettings.json (the host refuses that). Never logged.
    /// </summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>A file holding the key-encryption key as 64 hex digits; default kek.key in the data directory.</summary>
    public string? KeyEncryptionKeyFile { get; set; }

    /// <summary>
    /// How long the stored answer of each request (for its repeats, and for its reversal) and each reversal marker are kept
    /// before they are pruned; the journal is never pruned. After it, a repeat is decided as new, which its DE 7, older than
    /// the transmission window by then, refuses (63); so it must be more than twice Security:TransmissionTimeWindow.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00", ErrorMessage = "Ledger:RepeatRetention must be between 1.00:00:00 (one day) and 3650.00:00:00.")]
    public TimeSpan RepeatRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a terminal's previous PIN and MAC keys stay valid after a key exchange, for messages in flight.</summary>
    public TimeSpan KeyOverlap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Full path of the key-encryption key file.</summary>
    public string KeyEncryptionKeyFilePath => Path.GetFullPath(KeyEncryptionKeyFile ?? Path.Combine(DataDirectory, KeyProtection.KeyEncryptionKeySource.DefaultFileName));

    /// <summary>Full path of the data file.</summary>
    public string DataFilePath => Path.Combine(Path.GetFullPath(DataDirectory), FileName);

    /// <summary>Full path of the log file, where LiteDB itself would look for it.</summary>
    public string LogFilePath =>
        Path.Combine(Path.GetFullPath(DataDirectory), Path.GetFileNameWithoutExtension(FileName) + "-log" + Path.GetExtension(FileName));
}
