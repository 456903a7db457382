namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>Opens real files as <see cref="DurableFileStream"/>s.</summary>
internal sealed class DurableFileStreamFactory : IDurableStreamFactory
{
    public static DurableFileStreamFactory Instance { get; } = new();

    public Stream Open(string path) => new DurableFileStream(path);
}
