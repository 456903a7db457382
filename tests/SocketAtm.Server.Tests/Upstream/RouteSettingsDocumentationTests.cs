using System.Reflection;
using System.Text.RegularExpressions;
using SocketAtm.Server.Routing;
using SocketAtm.Testing;

namespace SocketAtm.Server.Tests.Upstream;

/// <summary>
/// Every setting of a route (<see cref="RouteOptions"/> and its sections, e.g. <c>Tls</c>, <c>StandIn</c>) has a row
/// in README.md's Configuration table, so that an operator never has to read the code to find one.
/// </summary>
public sealed partial class RouteSettingsDocumentationTests
{
    private const string Prefix = "Routing:Routes:N:";

    [Fact]
    public void Every_route_setting_has_a_row_in_the_readme_settings_table()
    {
        var documented = DocumentedSettings(File.ReadAllLines(RepositoryFiles.PathOf("README.md")));

        var missing = Settings(typeof(RouteOptions), string.Empty).Where(setting => !documented.Contains(setting)).ToArray();

        Assert.Equal([], missing);
    }

    [Fact]
    public void The_settings_found_include_the_nested_ones()
    {
        var settings = Settings(typeof(RouteOptions), string.Empty).ToList();

        Assert.Contains("ZonePinKey", settings);
        Assert.Contains("Tls:AuthorityBundle", settings);
        Assert.Contains("StandIn:PinVerificationKeyFile", settings);
        Assert.DoesNotContain("StandIn", settings);
        Assert.DoesNotContain("StandIn:HasPinVerificationKey", settings);
    }

    /// <summary>The bindable settings of <paramref name="type"/>: its settable properties, a section's own settings in its place.</summary>
    private static IEnumerable<string> Settings(Type type, string section)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.CanWrite))
        {
            var propertyType = property.PropertyType;
            if (propertyType.IsClass && propertyType != typeof(string) && !propertyType.IsGenericType)
            {
                foreach (var nested in Settings(propertyType, section + property.Name + ":"))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return section + property.Name;
            }
        }
    }

    /// <summary>
    /// The settings the table's rows name in their first cell: <c>`Routing:Routes:N:Tls:ClientCertificatePath`, `:ClientKeyPath`</c>
    /// names both, the short one in the section of the first.
    /// </summary>
    private static HashSet<string> DocumentedSettings(IEnumerable<string> readme)
    {
        var documented = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in readme.Where(line => line.StartsWith("| `" + Prefix, StringComparison.Ordinal)))
        {
            var cell = line.Split('|')[1];
            var names = Quoted().Matches(cell).Select(match => match.Groups["name"].Value).ToList();
            var first = names[0][Prefix.Length..];
            var section = first.Contains(':', StringComparison.Ordinal) ? first[..(first.LastIndexOf(':') + 1)] : string.Empty;
            documented.Add(first);
            foreach (var name in names.Skip(1).Where(name => name.StartsWith(':')))
            {
                documented.Add(section + name[1..]);
            }
        }

        return documented;
    }

    [GeneratedRegex("`(?<name>[^`]+)`")]
    private static partial Regex Quoted();
}
