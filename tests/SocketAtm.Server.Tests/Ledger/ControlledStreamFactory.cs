using SocketAtm.Server.Ledger.LiteDb;

namespace SocketAtm.Server.Tests.Ledger;

/// <summary>
/// Real, synced files whose log sync a test can hold (to fill the ledger's queue) or make fail (a dying disk).
/// </summary>
internal sealed class ControlledStreamFactory : IDurableStreamFactory
{
    private int _logSyncs;

    /// <summary>While reset, a log sync waits; set it to let syncs through.</summary>
    public ManualResetEventSlim LogSyncGate { get; } = new(initialState: true);

    /// <summary>Released each time a log sync starts.</summary>
    public SemaphoreSlim LogSyncStarted { get; } = new(0);

    /// <summary>When true, a log sync throws as a failing disk would.</summary>
    public bool FailLogSyncs { get; set; }

    public int LogSyncs => Volatile.Read(ref _logSyncs);

    /// <summary>Holds every log sync from now on, after forgetting the syncs already started.</summary>
    public void HoldLogSyncs()
    {
        while (LogSyncStarted.Wait(0))
        {
        }

        LogSyncGate.Reset();
    }

    public Stream Open(string path)
    {
        var file = DurableFileStreamFactory.Instance.Open(path);
        return path.EndsWith("-log.db", StringComparison.Ordinal) ? new ControlledLog(file, this) : file;
    }

    private sealed class ControlledLog(Stream inner, ControlledStreamFactory owner) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Flush()
        {
            owner.LogSyncStarted.Release();
            owner.LogSyncGate.Wait();
            if (owner.FailLogSyncs)
            {
                throw new IOException("Simulated disk failure during sync.");
            }

            inner.Flush();
            Interlocked.Increment(ref owner._logSyncs);
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => inner.SetLength(value);

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
