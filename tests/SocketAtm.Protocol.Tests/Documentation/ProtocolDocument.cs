using System.Text.RegularExpressions;

namespace SocketAtm.Protocol.Tests.Documentation;

/// <summary>
/// PROTOCOL.md at the repository root and its generated sections, each between
/// <c>&lt;!-- generated:NAME --&gt;</c> and <c>&lt;!-- /generated:NAME --&gt;</c> on lines of their own.
/// </summary>
internal static partial class ProtocolDocument
{
    public const string UpdateVariable = "SOCKETATM_UPDATE_PROTOCOL_DOC";

    public static bool UpdateRequested => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    public static string Path { get; } = System.IO.Path.Combine(FindRepositoryRoot(), "PROTOCOL.md");

    public static string Read() => File.ReadAllText(Path).ReplaceLineEndings("\n");

    /// <summary>The names of all generated sections the document contains, in order.</summary>
    public static IReadOnlyList<string> SectionNames(string document) =>
        StartMarker().Matches(document).Select(m => m.Groups["name"].Value).ToList();

    /// <summary>The content of section <paramref name="name"/>, or null when its markers are missing.</summary>
    public static string? Section(string document, string name)
    {
        var (start, end) = Bounds(document, name);
        return start < 0 ? null : document[start..end];
    }

    /// <summary>The document with section <paramref name="name"/> replaced by <paramref name="content"/>.</summary>
    public static string WithSection(string document, string name, string content)
    {
        var (start, end) = Bounds(document, name);
        if (start < 0)
        {
            throw new InvalidOperationException($"PROTOCOL.md has no markers for section '{name}'; add them to regenerate it.");
        }

        return document[..start] + content + document[end..];
    }

    private static (int Start, int End) Bounds(string document, string name)
    {
        var open = $"<!-- generated:{name} -->\n";
        var close = $"<!-- /generated:{name} -->";
        var start = document.IndexOf(open, StringComparison.Ordinal);
        var end = start < 0 ? -1 : document.IndexOf(close, start, StringComparison.Ordinal);
        return start < 0 || end < 0 ? (-1, -1) : (start + open.Length, end);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "SocketAtm.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("SocketAtm.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^<!-- generated:(?<name>[^ ]+) -->$", RegexOptions.Multiline)]
    private static partial Regex StartMarker();
}
