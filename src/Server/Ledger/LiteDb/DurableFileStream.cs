namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>
/// A file whose <see cref="Flush"/> reaches the disk (fsync), which LiteDB's own file handling does not promise for
/// the log. Unbuffered, so every write LiteDB makes is handed to the OS at once and a flush has nothing left in
/// user space; opened exclusively, so a second host on the same directory fails at start instead of corrupting it;
/// created owner-only (0600): it holds the ledger.
/// </summary>
internal sealed class DurableFileStream : Stream
{
    private readonly FileStream _file;

    public DurableFileStream(string path)
    {
        _file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 0,
            Options = FileOptions.RandomAccess,
        }.OwnerOnly());
    }

    public override bool CanRead => _file.CanRead;

    public override bool CanSeek => _file.CanSeek;

    public override bool CanWrite => _file.CanWrite;

    public override long Length => _file.Length;

    public override long Position
    {
        get => _file.Position;
        set => _file.Position = value;
    }

    public override void Flush() => _file.Flush(flushToDisk: true);

    public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _file.Read(buffer);

    public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

    public override void SetLength(long value) => _file.SetLength(value);

    public override void Write(byte[] buffer, int offset, int count) => _file.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _file.Write(buffer);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
