namespace SocketAtm.Server.Ledger;

/// <summary>
/// The idempotency key of a financial request: acquirer id (DE 32, right-justified and zero-filled to 11 digits,
/// all zeros when absent), terminal id (DE 41), STAN (DE 11) and transmission date-time (DE 7, MMDDhhmmss).
/// The same four values identify the original in a reversal's DE 90.
/// </summary>
internal readonly record struct RequestKey(string AcquirerId, string TerminalId, int Stan, string TransmissionDateTime)
{
    /// <summary>A stable text form, used as the stored key: <c>acquirer|terminal|stan|datetime</c>.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{AcquirerId}|{TerminalId}|{Stan:D6}|{TransmissionDateTime}");

    /// <summary>The key of a stored key text (<see cref="ToString"/>), for what the ledger hands back about stored records.</summary>
    /// <exception cref="FormatException">Not a key's text.</exception>
    public static RequestKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('|');
        return parts.Length == 4 && int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var stan)
            ? new RequestKey(parts[0], parts[1], stan, parts[3])
            : throw new FormatException("Not an idempotency key: " + text);
    }
}
