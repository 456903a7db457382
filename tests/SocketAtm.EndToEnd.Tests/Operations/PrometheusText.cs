using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SocketAtm.EndToEnd.Tests.Operations;

/// <summary>
/// A strict reader of the Prometheus text exposition format (0.0.4), as a scraper reads <c>/metrics</c>: <c># HELP</c>
/// and <c># TYPE</c> lines, and samples <c>name{label="value",…} value [timestamp]</c>. Anything else throws.
/// </summary>
internal sealed partial class PrometheusText
{
    private PrometheusText(IReadOnlyDictionary<string, string> types, IReadOnlyDictionary<string, string> help, IReadOnlyList<Sample> samples)
    {
        Types = types;
        Help = help;
        Samples = samples;
    }

    /// <summary>Each family's declared type (counter, gauge, histogram…), by family name.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public IReadOnlyDictionary<string, string> Help { get; }

    public IReadOnlyList<Sample> Samples { get; }

    public IEnumerable<Sample> Named(string name) => Samples.Where(sample => sample.Name == name);

    public static PrometheusText Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var comment = Comment().Match(line);
                if (!comment.Success)
                {
                    throw new FormatException($"Not a HELP or TYPE line: {line}");
                }

                (comment.Groups["kind"].Value == "TYPE" ? types : help)[comment.Groups["name"].Value] = comment.Groups["text"].Value;
                continue;
            }

            var sample = SampleLine().Match(line);
            if (!sample.Success)
            {
                throw new FormatException($"Not a sample: {line}");
            }

            var name = sample.Groups["name"].Value;
            if (!types.Keys.Any(family => name == family || name.StartsWith(family + "_", StringComparison.Ordinal)))
            {
                throw new FormatException($"Sample {name} before any TYPE of its family.");
            }

            samples.Add(new Sample(name, Labels(sample.Groups["labels"].Value, line), Value(sample.Groups["value"].Value)));
        }

        return new PrometheusText(types, help, samples);
    }

    private static Dictionary<string, string> Labels(string text, string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        while (position < text.Length)
        {
            var label = Label().Match(text, position);
            if (!label.Success || label.Index != position)
            {
                throw new FormatException($"Bad labels in: {line}");
            }

            labels.Add(label.Groups["name"].Value, Unescape(label.Groups["value"].Value));
            position += label.Length;
        }

        return labels;
    }

    private static string Unescape(string value)
    {
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            text.Append(value[i] != '\\' ? value[i] : value[++i] switch { 'n' => '\n', var other => other });
        }

        return text.ToString();
    }

    private static double Value(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"^# (?<kind>HELP|TYPE) (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) ?(?<text>.*)$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)( -?\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)"",?")]
    private static partial Regex Label();

    internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
