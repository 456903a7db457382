using System.Collections.Concurrent;
using System.Text;

namespace SocketAtm.Server.Upstream;

/// <summary>Reasons as metric tags (<c>InFlightCap</c> → <c>in_flight_cap</c>), each worded once.</summary>
internal static class UpstreamReasonTags
{
    private static readonly ConcurrentDictionary<Enum, string> Tags = new();

    public static string Of(Enum reason) => Tags.GetOrAdd(reason, static value => Snake(value.ToString()));

    private static string Snake(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
