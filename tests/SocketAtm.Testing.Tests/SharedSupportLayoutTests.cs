using System.Xml.Linq;

namespace SocketAtm.Testing.Tests;

/// <summary>
/// Where shared test support may be used from: bench/ takes it from src/Fixtures and never from tests/, no test
/// project compiles a file out of bench/, the product never references Fixtures, and Fixtures stays free of xunit.
/// Read from the project files, so a reference that breaks the rule fails here rather than in a review.
/// </summary>
public sealed class SharedSupportLayoutTests
{
    [Fact]
    public void Bench_projects_reference_no_project_under_tests()
    {
        foreach (var project in ProjectsUnder("bench"))
        {
            Assert.All(Includes(project, "ProjectReference"), reference => Assert.False(
                IsUnder(reference, "tests"), $"{Relative(project)} references {Relative(reference)}: take it from src/Fixtures instead."));
        }
    }

    [Fact]
    public void Test_projects_compile_no_file_out_of_bench()
    {
        foreach (var project in ProjectsUnder("tests"))
        {
            Assert.All(Includes(project, "Compile"), file => Assert.False(
                IsUnder(file, "bench"), $"{Relative(project)} compiles {Relative(file)}: share it through src/Fixtures instead."));
        }
    }

    [Theory]
    [InlineData("src/Protocol")]
    [InlineData("src/Server")]
    [InlineData("src/TerminalClient")]
    public void The_product_does_not_reference_its_test_support(string folder)
    {
        foreach (var project in ProjectsUnder(folder))
        {
            Assert.All(Includes(project, "ProjectReference"), reference => Assert.False(
                IsUnder(reference, "src/Fixtures") || IsUnder(reference, "tests"), $"{Relative(project)} references {Relative(reference)}."));
        }
    }

    [Fact]
    public void Fixtures_takes_no_xunit_package()
    {
        var packages = Includes(RepositoryFiles.PathOf("src", "Fixtures", "SocketAtm.Fixtures.csproj"), "PackageReference", resolve: false);

        Assert.DoesNotContain(packages, package => package.StartsWith("xunit", StringComparison.OrdinalIgnoreCase));
    }

    private static List<string> ProjectsUnder(string folder)
    {
        var projects = Directory.EnumerateFiles(RepositoryFiles.PathOf(folder.Split('/')), "*.csproj", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Intersect(["bin", "obj"]).Any())
            .ToList();
        Assert.NotEmpty(projects);
        return projects;
    }

    /// <summary>The Include of every <paramref name="item"/> in the project, as a full path unless told otherwise.</summary>
    private static List<string> Includes(string project, string item, bool resolve = true) =>
        [.. XDocument.Load(project).Descendants(item)
            .Select(element => (string?)element.Attribute("Include"))
            .OfType<string>()
            .Select(include => resolve ? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include.Replace('\\', Path.DirectorySeparatorChar))) : include)];

    private static bool IsUnder(string path, string folder) =>
        path.StartsWith(RepositoryFiles.PathOf(folder.Split('/')) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string Relative(string path) => Path.GetRelativePath(RepositoryFiles.PathOf(), path);
}
