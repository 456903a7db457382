using SocketAtm.Client;

namespace SocketAtm.TerminalClient.Emulator;

/// <summary>One plain sentence for the customer for every way a transaction can fail.</summary>
internal static class CustomerMessages
{
    public const string NoMoneyTaken = "No money has been taken from your account.";

    private static readonly Dictionary<string, string> Declines = new(StringComparer.Ordinal)
    {
        ["12"] = "This transaction is not available for your card.",
        ["13"] = "That amount cannot be dispensed. Please choose another amount.",
        ["14"] = "Your card number is not recognised. Please contact your bank.",
        ["25"] = "Your bank could not find the original transaction.",
        ["30"] = "Your bank could not read the request. Please try again.",
        ["39"] = "Your card has no credit account.",
        ["41"] = "This card has been reported lost and cannot be used. Please contact your bank.",
        ["43"] = "This card has been reported stolen and cannot be used. Please contact your bank.",
        ["51"] = "There are not enough funds in your account for this withdrawal.",
        ["52"] = "Your card has no checking account.",
        ["53"] = "Your card has no savings account.",
        ["54"] = "Your card has expired. Please contact your bank for a new one.",
        ["55"] = "The PIN you entered is incorrect.",
        ["58"] = "This ATM cannot carry out transactions at the moment. Please use another ATM.",
        ["61"] = "This withdrawal would exceed your daily withdrawal limit.",
        ["62"] = "Your card is restricted. Please contact your bank.",
        ["63"] = "A security check failed. " + NoMoneyTaken,
        ["65"] = "You have reached the number of withdrawals allowed today.",
        ["75"] = "You have entered an incorrect PIN too many times. Your card is blocked; please contact your bank.",
        ["91"] = "Your bank is not available at the moment. Please try again later.",
        ["94"] = "This transaction has already been processed.",
        ["96"] = "Your bank had a technical problem. " + NoMoneyTaken,
    };

    /// <summary>The sentence for a decline with response code <paramref name="responseCode"/>.</summary>
    public static string ForDecline(string responseCode) =>
        Declines.TryGetValue(responseCode, out var sentence) ? sentence : $"Your transaction was declined (code {responseCode}).";

    /// <summary>The sentence for any result other than an approval.</summary>
    public static string For(TransactionResult result) => result switch
    {
        TransactionDeclined declined => ForDecline(declined.ResponseCode),
        TransactionTimedOut => "Your bank did not answer in time. " + NoMoneyTaken,
        TransactionNotSent => "This ATM is temporarily out of service. Please try again later.",
        _ => string.Empty,
    };
}
