using SocketAtm.Server.Ledger.LiteDb;

namespace SocketAtm.Reliability.Tests.Support;

/// <summary>The ledger's real, synced files, except that from a moment a test chooses every write and sync fails, as on a full or dying disk.</summary>
internal sealed class FailingDisk : IDurableStreamFactory
{
    private volatile bool _failing;

    /// <summary>From now on, writes and syncs throw <see cref="IOException"/> (ENOSPC).</summary>
    public void Fail() => _failing = true;

    public Stream Open(string path) => new FailingStream(DurableFileStreamFactory.Instance.Open(path), this);

    private sealed class FailingStream(Stream inner, FailingDisk disk) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush()
        {
            ThrowIfFailing();
            inner.Flush();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value)
        {
            ThrowIfFailing();
            inner.SetLength(value);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            ThrowIfFailing();
            inner.Write(buffer, offset, count);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private void ThrowIfFailing()
        {
            if (disk._failing)
            {
                throw new IOException("No space left on device (simulated).");
            }
        }
    }
}
