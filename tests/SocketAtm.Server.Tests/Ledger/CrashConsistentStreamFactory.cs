using SocketAtm.Server.Ledger.LiteDb;

namespace SocketAtm.Server.Tests.Ledger;

/// <summary>
/// In-memory files that model a disk cache: writes land in a volatile copy, and only <see cref="Stream.Flush"/>
/// (the sync) copies it into the durable image — what would survive a power cut. A sync can be slowed down, which
/// widens the window in which a ledger that answered before syncing would be caught.
/// </summary>
internal sealed class CrashConsistentStreamFactory : IDurableStreamFactory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MemoryFile> _files = new(StringComparer.Ordinal);

    public TimeSpan SyncDelay { get; init; }

    public int LogSyncs { get; private set; }

    public Stream Open(string path)
    {
        lock (_gate)
        {
            if (!_files.TryGetValue(path, out var file))
            {
                file = new MemoryFile(this, path.EndsWith("-log.db", StringComparison.Ordinal));
                _files.Add(path, file);
            }

            return file;
        }
    }

    /// <summary>What would be on disk after a power cut now: (data, log).</summary>
    public (byte[] Data, byte[] Log) DurableImages()
    {
        lock (_gate)
        {
            var data = _files.Values.Single(file => !file.IsLog);
            var log = _files.Values.Single(file => file.IsLog);
            return (data.Durable.ToArray(), log.Durable.ToArray());
        }
    }

    private sealed class MemoryFile(CrashConsistentStreamFactory owner, bool isLog) : Stream
    {
        // Outlives the stream: the ledger disposes its files when it closes, the images must stay readable.
        private readonly MemoryStream _content = new();

        public bool IsLog { get; } = isLog;

        public byte[] Durable { get; private set; } = [];

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => true;

        public override long Length => _content.Length;

        public override long Position
        {
            get => _content.Position;
            set => _content.Position = value;
        }

        public override void Flush()
        {
            if (owner.SyncDelay > TimeSpan.Zero)
            {
                Thread.Sleep(owner.SyncDelay);
            }

            lock (owner._gate)
            {
                Durable = _content.ToArray();
                if (IsLog)
                {
                    owner.LogSyncs++;
                }
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => _content.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => _content.Seek(offset, origin);

        public override void SetLength(long value) => _content.SetLength(value);

        public override void Write(byte[] buffer, int offset, int count) => _content.Write(buffer, offset, count);
    }
}
