namespace SocketAtm.Server.Admin;

/// <summary>
/// The console as <see cref="SecretInput"/>: at a terminal, keys are read with <see cref="Console.ReadKey(bool)"/>
/// intercepted, so nothing typed is shown (Backspace works, Enter ends); with standard input redirected (a pipe from a
/// secret store), one line is read from it.
/// </summary>
internal sealed class ConsoleSecretInput : SecretInput
{
    public static readonly ConsoleSecretInput Instance = new();

    private ConsoleSecretInput()
    {
    }

    public override bool IsInteractive => !Console.IsInputRedirected;

    public override char[]? ReadSecret(string prompt, TextWriter prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        prompts.Write(prompt);
        prompts.Flush();
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine()?.ToCharArray();
        }

        var typed = new char[64];
        var length = 0;
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    break;
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    length = Math.Max(0, length - 1);
                }
                else if (!char.IsControl(key.KeyChar) && length < typed.Length)
                {
                    typed[length++] = key.KeyChar;
                }
            }

            prompts.WriteLine();
            return typed[..length];
        }
        finally
        {
            Array.Clear(typed);
        }
    }
}
