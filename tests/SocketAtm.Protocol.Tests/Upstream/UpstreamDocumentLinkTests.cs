using System.Text.RegularExpressions;
using SocketAtm.Protocol.Tests.Documentation;

namespace SocketAtm.Protocol.Tests.Upstream;

/// <summary>
/// §15 is read on its own by an issuer's team and sends them to §2–11 and to its own subsections: every link in it must
/// land on a heading, as GitHub names headings (lower case, punctuation dropped, each space a hyphen).
/// </summary>
public sealed partial class UpstreamDocumentLinkTests
{
    [Fact]
    public void Every_link_in_part_15_and_the_contents_entry_lands_on_a_heading()
    {
        var document = ProtocolDocument.Read();
        var anchors = Heading().Matches(document).Select(m => Slug(m.Groups["title"].Value)).ToHashSet();
        var part = DocumentedUpstreamExample.PartFifteen(document);
        var links = Link().Matches(part).Select(m => m.Groups["anchor"].Value).Append("15-upstream-the-host-as-acquirer").ToList();

        Assert.Contains("[Upstream: the host as acquirer](#15-upstream-the-host-as-acquirer)", document, StringComparison.Ordinal);
        Assert.True(links.Count > 20, "§15 should point its reader to the sections it reuses");
        Assert.Equal([], links.Where(anchor => !anchors.Contains(anchor)).ToArray());
    }

    private static string Slug(string title) =>
        SlugDropped().Replace(title.Trim().ToLowerInvariant(), string.Empty).Replace(' ', '-');

    [GeneratedRegex(@"^#{2,4} (?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"\]\(#(?<anchor>[^)]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"[^\p{L}\p{Nd} _-]")]
    private static partial Regex SlugDropped();
}
