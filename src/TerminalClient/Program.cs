using SocketAtm.TerminalClient.Scripted;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Ctrl-C asks for a clean stop (sign-off, reversals finished); a second Ctrl-C still ends the process.
    e.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
};

return await TerminalCommandLine.InvokeAsync(args, Console.Out, Console.Error, stop.Token);
