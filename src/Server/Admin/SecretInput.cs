namespace SocketAtm.Server.Admin;

/// <summary>
/// Where the admin reads a secret a person types (a key component, a PIN): never the command line, which shell history
/// and the process list keep. Prompts go to standard error, so that standard output carries only results.
/// </summary>
internal abstract class SecretInput
{
    /// <summary>The process's console: keys read without echo when a terminal is attached, else lines from standard input.</summary>
    public static SecretInput FromConsole => ConsoleSecretInput.Instance;

    /// <summary>Lines of <paramref name="reader"/>, one secret per line (a pipe, a test).</summary>
    public static SecretInput From(TextReader reader) => new ReaderSecretInput(reader);

    /// <summary>True when a person types at a terminal (a PIN is then asked twice, since nobody sees what was typed).</summary>
    public abstract bool IsInteractive { get; }

    /// <summary>Writes <paramref name="prompt"/> to <paramref name="prompts"/> and reads one line without showing it; null at the end of the input.</summary>
    /// <remarks>The caller clears the characters once it has used them.</remarks>
    public abstract char[]? ReadSecret(string prompt, TextWriter prompts);

    private sealed class ReaderSecretInput(TextReader reader) : SecretInput
    {
        public override bool IsInteractive => false;

        public override char[]? ReadSecret(string prompt, TextWriter prompts)
        {
            ArgumentNullException.ThrowIfNull(prompts);
            prompts.Write(prompt);
            var line = reader.ReadLine();
            prompts.WriteLine();
            return line?.ToCharArray();
        }
    }
}
