using SocketAtm.Client;
using Spectre.Console;

namespace SocketAtm.TerminalClient.Emulator;

/// <summary>Runs the interactive ATM until the user leaves or presses Ctrl-C, then signs off.</summary>
internal static class EmulatorApp
{
    /// <param name="cancellationToken">Ctrl-C: ends the emulator cleanly, signing off.</param>
    public static async Task<int> RunAsync(TerminalConnectionOptions connectionOptions, TerminalClientOptions terminalOptions, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Console;
        var stop = cancellationToken;
        var connection = new TerminalConnection(connectionOptions);
        try
        {
            var terminal = connection.AddTerminal(terminalOptions);
            var starting = connection.StartAsync(stop);
            await console.Status().StartAsync(
                $"Connecting to {Markup.Escape(connection.Endpoint)}…",
                _ => Task.WhenAny(starting, Task.Delay(TimeSpan.FromSeconds(5), stop)));
            await new AtmFlow(terminal, new SpectreAtmDisplay(console), TimeProvider.System).RunAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl-C: leave cleanly, signing off.
        }
        finally
        {
            console.WriteLine();
            console.MarkupLine("Signing off…");
            await connection.DisposeAsync();
            console.MarkupLine("[bold]Signed off. Goodbye.[/]");
        }

        return 0;
    }
}
