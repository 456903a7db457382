namespace SocketAtm.IssuerSim;

/// <summary>Reads a zone key (ZPK, ZAK) given as 32 hex digits on the command line or in a file of its own.</summary>
internal static class ZoneKeys
{
    /// <summary>A double-length Triple DES key's bytes.</summary>
    public const int Length = 16;

    /// <summary>
    /// The key from <paramref name="hex"/>, else from the file <paramref name="file"/>, else null. A malformed key is a
    /// readable <paramref name="problem"/> that never repeats the key.
    /// </summary>
    public static byte[]? Read(string name, string? hex, string? file, out string? problem)
    {
        problem = null;
        if (hex is not null && file is not null)
        {
            problem = $"--{name} and --{name}-file are two sources for one key: give one.";
            return null;
        }

        string text;
        try
        {
            text = hex ?? (file is null ? null : File.ReadAllText(file))?.Trim() ?? string.Empty;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            problem = $"--{name}-file: cannot read '{file}': {exception.Message}";
            return null;
        }

        if (text.Length == 0)
        {
            return null;
        }

        if (text.Length != 2 * Length || !text.All(char.IsAsciiHexDigit))
        {
            problem = $"--{name}: a zone key is {2 * Length} hex digits (a double-length key).";
            return null;
        }

        return Convert.FromHexString(text);
    }
}
