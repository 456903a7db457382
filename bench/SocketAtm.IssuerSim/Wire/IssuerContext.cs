using Microsoft.Extensions.Logging;
using SocketAtm.IssuerSim.Faults;

namespace SocketAtm.IssuerSim.Wire;

/// <summary>What every connection of one simulator shares: its options, rules (and through them the book) and faults.</summary>
internal sealed record IssuerContext(IssuerSimulatorOptions Options, IssuerRules Rules, StandInAdviceRules Advices, FaultPlan Faults)
{
    public ILogger Logger => Options.Logger;
}
