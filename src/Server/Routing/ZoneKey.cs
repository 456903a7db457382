using System.Diagnostics.CodeAnalysis;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Server.Routing;

/// <summary>
/// Reads a route's zone key (ZPK or ZAK): 32 hex digits given directly (from the environment or the command line) or in
/// a file. The words of a failure name the setting, never the key.
/// </summary>
internal static class ZoneKey
{
    public const int HexLength = DoubleLengthKey.Length * 2;

    /// <summary>The key of <paramref name="value"/>, else of <paramref name="file"/>'s content; null when neither is set.</summary>
    /// <param name="setting">The setting's name for the error, e.g. <c>Routing:Routes:0:ZonePinKey</c>.</param>
    /// <exception cref="InvalidDataException">The value is not 32 hex digits, or the file cannot be read.</exception>
    public static byte[]? Load(string? value, string? file, string setting)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return Parse(value, setting);
        }

        if (string.IsNullOrWhiteSpace(file))
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{setting}File '{file}' cannot be read ({exception.Message.ReplaceLineEndings(" ")}).", exception);
        }

        return Parse(text, $"{setting}File '{file}'");
    }

    /// <summary>Like <see cref="Load"/>, returning the failure's words instead of throwing.</summary>
    public static bool TryLoad(string? value, string? file, string setting, out byte[]? key, [NotNullWhen(false)] out string? problem)
    {
        try
        {
            key = Load(value, file, setting);
            problem = null;
            return true;
        }
        catch (InvalidDataException exception)
        {
            key = null;
            problem = exception.Message;
            return false;
        }
    }

    private static byte[] Parse(string text, string source)
    {
        var hex = text.Trim();
        if (hex.Length != HexLength || !hex.All(Uri.IsHexDigit))
        {
            throw new InvalidDataException($"{source} must be {HexLength} hex digits (a double-length key).");
        }

        return Convert.FromHexString(hex);
    }
}
