namespace SocketAtm.Browser.Tests;

/// <summary>A fact that needs Debian's Chromium: skipped (or failed, see <see cref="RequiredTools"/>) where it is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : ToolFactAttribute
{
    public const string Program = "/usr/bin/chromium";

    public override MissingTool? Missing => File.Exists(Program)
        ? null
        : new MissingTool("Chromium", $"no {Program} (apt-get install chromium).");
}
