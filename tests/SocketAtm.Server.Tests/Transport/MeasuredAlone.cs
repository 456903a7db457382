namespace SocketAtm.Server.Tests.Transport;

/// <summary>Tests that measure process-wide things (memory) run in this collection, after and never beside the others.</summary>
[CollectionDefinition(nameof(MeasuredAlone), DisableParallelization = true)]
public sealed class MeasuredAlone
{
}
