using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Ledger;

/// <summary>The ledger's log events (3000–3099).</summary>
internal static partial class LedgerLog
{
    [LoggerMessage(
        3000,
        LogLevel.Information,
        "Ledger opened at {DataFile}: {Accounts} accounts, {JournalRows} journal rows, invariants hold (opened in {OpenMs} ms: recovery and indexes {RecoveryMs} ms, invariants {InvariantsMs} ms, checkpoint {CheckpointMs} ms)")]
    public static partial void Opened(
        ILogger logger, string dataFile, int accounts, long journalRows, long openMs, long recoveryMs, long invariantsMs, long checkpointMs);

    [LoggerMessage(3001, LogLevel.Warning, "Ledger database was empty: seeded the DEMO terminals, keys and cards (never for production)")]
    public static partial void SeededDemoData(ILogger logger);

    [LoggerMessage(3010, LogLevel.Warning, "New ledger: generated its key-encryption key in {Path}. Keep that file safe and apart from backups of the data, or give Ledger:KeyEncryptionKey(File) in production")]
    public static partial void GeneratedKeyEncryptionKey(ILogger logger, string path);

    [LoggerMessage(3002, LogLevel.Critical, "Ledger storage failed; the ledger stops taking requests")]
    public static partial void StorageFailed(ILogger logger, Exception exception);

    [LoggerMessage(3003, LogLevel.Debug, "Ledger checkpoint copied the log into the data file")]
    public static partial void Checkpointed(ILogger logger);

    [LoggerMessage(3004, LogLevel.Information, "Ledger closed")]
    public static partial void Closed(ILogger logger);

    [LoggerMessage(3006, LogLevel.Warning, "Ledger could not release its storage cleanly after a failure")]
    public static partial void CloseFailed(ILogger logger, Exception exception);

    [LoggerMessage(3007, LogLevel.Debug, "Ledger verified a PIN from terminal {TerminalId} again under its current keys (version {Current}; the session had version {Used})")]
    public static partial void PinVerifiedUnderNewerKeys(ILogger logger, string terminalId, long used, long current);

    [LoggerMessage(3008, LogLevel.Information, "Ledger pruned {Count} stored answers and reversal markers older than {Retention} (the journal keeps every request)")]
    public static partial void PrunedRepeats(ILogger logger, int count, TimeSpan retention);

    [LoggerMessage(3009, LogLevel.Warning, "Ledger could not prune expired stored answers; it tries again at the next interval")]
    public static partial void PruningFailed(ILogger logger, Exception exception);

    [LoggerMessage(3011, LogLevel.Error, "Card {MaskedPan} has PVKI {Pvki}, for which this host holds no PIN verification key: answered 96, no PIN try counted. Import that PVK (admin import-pvk), or restart this host if another host imported it")]
    public static partial void NoPinVerificationKey(ILogger logger, int pvki, string maskedPan);

    [LoggerMessage(3020, LogLevel.Warning, "The ledger held no card verification key (CVK), as ledgers from before track 2 was verified: generated a random one (KCV {Kcv}). The CVV of every real card's track 2 fails (59) until the issuer's CVK is imported with `admin import-cvk`")]
    public static partial void GeneratedCardVerificationKey(ILogger logger, string kcv);

    [LoggerMessage(3021, LogLevel.Warning, "The ledger held no card verification key (CVK) and its PVK is the published demo PVK: gave it the published demo CVK (KCV {Kcv}), under which the demo cards' track 2 verifies (never for production)")]
    public static partial void AddedDemoCardVerificationKey(ILogger logger, string kcv);

    [LoggerMessage(3005, LogLevel.Error, "Ledger could not decide a request: answered 96")]
    public static partial void DecisionFailed(ILogger logger, Exception exception);
}
