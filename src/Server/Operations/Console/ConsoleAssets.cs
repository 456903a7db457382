using System.Collections.Frozen;
using System.Reflection;

namespace SocketAtm.Server.Operations.Console;

/// <summary>
/// The console's files (page, script, style, and the vendored chart library), read once from the host's assembly where
/// the build embeds them: nothing on disk to go missing or be swapped, nothing fetched from elsewhere.
/// </summary>
internal sealed class ConsoleAssets
{
    private const string ResourcePrefix = "console/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, (byte[] Content, string ContentType)> _files;

    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            files[name[ResourcePrefix.Length..]] = (Read(assembly, name), ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream"));
        }

        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The file at <paramref name="relativePath"/> (e.g. <c>index.html</c>, <c>vendor/uPlot.iife.min.js</c>); false for any other.</summary>
    public bool TryGet(string relativePath, out byte[] content, out string contentType)
    {
        if (_files.TryGetValue(relativePath, out var file))
        {
            (content, contentType) = file;
            return true;
        }

        content = [];
        contentType = string.Empty;
        return false;
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
