namespace SocketAtm.Server.Ledger.LiteDb;

/// <summary>Opens the ledger's data and log files. Injectable so that tests can watch, and cut, what reaches the disk.</summary>
internal interface IDurableStreamFactory
{
    /// <summary>
    /// Opens the file at <paramref name="path"/> for reading and writing, creating it when missing. The stream's
    /// <see cref="Stream.Flush"/> must not return before everything written so far is on stable storage.
    /// </summary>
    Stream Open(string path);
}
