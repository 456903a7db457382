using System.Text.Json;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Upstream;

/// <summary>
/// The routes' link state as the running host last recorded it, for <c>admin routes</c> (another process): a small
/// owner-only JSON file in the data directory, replaced whole (written beside, then renamed) on every link state change
/// and once more at stop.
/// </summary>
internal static class LinkStatusFile
{
    public const string FileName = "routes-status.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string PathIn(string dataDirectory) => System.IO.Path.Combine(System.IO.Path.GetFullPath(dataDirectory), FileName);

    public static void Write(string path, LinkStatusSnapshot snapshot)
    {
        var directory = System.IO.Path.GetDirectoryName(path)!;
        OwnerOnlyFiles.CreateDirectory(directory);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write }.OwnerOnly();
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, snapshot, Json);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The last snapshot written, or null when there is none (the host never ran with routes here) or it cannot be read.</summary>
    public static LinkStatusSnapshot? TryRead(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<LinkStatusSnapshot>(stream, Json);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}

/// <summary>What <see cref="LinkStatusFile"/> holds.</summary>
/// <param name="Running">False in the snapshot written as the host stopped.</param>
internal sealed record LinkStatusSnapshot(DateTimeOffset WrittenAt, bool Running, int ProcessId, IReadOnlyList<RouteLinkStatus> Routes);
