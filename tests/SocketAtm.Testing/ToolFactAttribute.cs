using Xunit;
using Xunit.Sdk;

namespace SocketAtm.Testing;

/// <summary>
/// A fact that needs a tool this machine may lack (PostgreSQL, HAProxy, tmux): skipped where it is missing, or failed
/// under <see cref="RequiredTools.RequireAllVariable"/>=1 (see <see cref="RequiredTools"/>).
/// </summary>
[XunitTestCaseDiscoverer("SocketAtm.Testing.ToolFactDiscoverer", "SocketAtm.Testing")]
[AttributeUsage(AttributeTargets.Method)]
public abstract class ToolFactAttribute : FactAttribute
{
    /// <summary>The tool this machine lacks, or null when the test can run.</summary>
    public abstract MissingTool? Missing { get; }
}
