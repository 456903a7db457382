namespace SocketAtm.Server.Admin;

/// <summary>
/// The clear PIN of a card to add, from a file (<c>--pin-file</c>: the PIN's digits, surrounding whitespace ignored) or
/// typed at a prompt that shows nothing (twice at a terminal). Never from the command line, which shell history and
/// the process list keep. Only the PIN's PVV is stored.
/// </summary>
internal static class PinEntry
{
    public const string FileOption = "--pin-file";

    /// <param name="file">The PIN file, or null to prompt.</param>
    /// <param name="forWhat">Whose PIN, for the prompt (masked PAN, or "every card").</param>
    /// <exception cref="AdminException">No PIN, not 4–12 digits, or the two typed differ.</exception>
    public static string Read(string? file, string forWhat, AdminConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var typed = file is not null
            ? SecretFile.Read(file, console.Error)
            : console.Input.ReadSecret($"PIN of {forWhat} (4-12 digits; not shown): ", console.Error)
                ?? throw new AdminException($"No PIN: give {FileOption}, or type it at the prompt.");
        try
        {
            var pin = typed.AsSpan().Trim();
            if (pin.Length is < 4 or > 12 || pin.IndexOfAnyExceptInRange('0', '9') >= 0)
            {
                throw new AdminException("A PIN is 4 to 12 digits.");
            }

            if (file is null && console.Input.IsInteractive)
            {
                var again = console.Input.ReadSecret("The same PIN again: ", console.Error) ?? [];
                try
                {
                    if (!again.AsSpan().Trim().SequenceEqual(pin))
                    {
                        throw new AdminException("The two PINs typed differ; nothing was added.");
                    }
                }
                finally
                {
                    Array.Clear(again);
                }
            }

            return pin.ToString();
        }
        finally
        {
            Array.Clear(typed);
        }
    }
}
