namespace SocketAtm.Load.Workloads;

/// <summary>
/// The proportions of the mixed workload. Of all operations, <see cref="Balance"/> are balance inquiries and the rest
/// withdrawals; of the withdrawals, the given shares end in a give-up (the terminal stops waiting once the request is on
/// the wire and reverses it, as after a timeout), a jam (full reversal) or a partial dispense (partial reversal).
/// Every <see cref="RawTerminalEvery"/>-th terminal drives the protocol by hand instead, to send what the client library
/// never sends on purpose: an 0201 after the answer came (it must get the same decision) and a second 0200 with a used
/// key (it must get 94 and move nothing).
/// </summary>
internal sealed record MixedShares
{
    public double Balance { get; init; } = 0.25;

    public double GiveUp { get; init; } = 0.04;

    public double Jam { get; init; } = 0.02;

    public double PartialDispense { get; init; } = 0.04;

    public int RawTerminalEvery { get; init; } = 10;
}
