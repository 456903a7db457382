namespace SocketAtm.Client;

/// <summary>The meaning of every response code (DE 39) of PROTOCOL.md §10, in a few words.</summary>
public static class ResponseCodeText
{
    private static readonly Dictionary<string, string> Meanings = new(StringComparer.Ordinal)
    {
        ["00"] = "Approved",
        ["12"] = "Invalid transaction",
        ["13"] = "Invalid amount",
        ["14"] = "Invalid card number",
        ["25"] = "Unable to locate original",
        ["30"] = "Format error",
        ["39"] = "No credit account",
        ["41"] = "Lost card",
        ["43"] = "Stolen card",
        ["51"] = "Insufficient funds",
        ["52"] = "No checking account",
        ["53"] = "No savings account",
        ["54"] = "Expired card",
        ["55"] = "Incorrect PIN",
        ["58"] = "Transaction not permitted to terminal",
        ["61"] = "Exceeds amount limit",
        ["62"] = "Restricted card",
        ["63"] = "Security violation",
        ["65"] = "Exceeds frequency limit",
        ["75"] = "PIN tries exceeded",
        ["91"] = "Issuer unavailable",
        ["94"] = "Duplicate transmission",
        ["96"] = "System malfunction",
    };

    /// <summary>The response codes PROTOCOL.md defines.</summary>
    public static IReadOnlyCollection<string> KnownCodes => Meanings.Keys;

    /// <summary>What <paramref name="responseCode"/> means, e.g. "Insufficient funds" for 51; "Unknown response code 07" otherwise.</summary>
    public static string Meaning(string responseCode)
    {
        ArgumentNullException.ThrowIfNull(responseCode);
        return Meanings.TryGetValue(responseCode, out var meaning) ? meaning : $"Unknown response code {responseCode}";
    }
}
