using Xunit.Abstractions;
using Xunit.Sdk;

namespace SocketAtm.Testing;

/// <summary>Discovers <see cref="ToolFactAttribute"/> tests: each runs, is skipped or fails as <see cref="RequiredTools"/> decides.</summary>
public sealed class ToolFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        // Discovery by reflection (the only kind this suite uses) hands over the attribute itself.
        var attribute = (factAttribute as IReflectionAttributeInfo)?.Attribute as ToolFactAttribute
            ?? throw new InvalidOperationException($"{testMethod?.Method.Name}: a tool fact discovered without reflection.");
        yield return RequiredTools.TestCaseFor(diagnosticMessageSink, discoveryOptions, testMethod, attribute.Missing, RequiredTools.RequireAll);
    }
}
