using SocketAtm.IssuerSim;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Ctrl-C stops the simulator cleanly (the book is checkpointed and closed); a second one ends the process.
    e.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
};

return await IssuerCommandLine.InvokeAsync(args, Console.Out, Console.Error, stop.Token);
