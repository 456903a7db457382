using SocketAtm.Client;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.TerminalClient.Emulator;

/// <summary>One plain sentence for the customer for every way a transaction can fail.</summary>
internal static class CustomerMessages
{
    public const string NoMoneyTaken = "No money has been taken from your account.";

    private static readonly Dictionary<string, string> Declines = new(StringComparer.Ordinal)
    {
        [ResponseCodes.InvalidTransaction] = "This transaction is not available for your card.",
        [ResponseCodes.InvalidAmount] = "That amount cannot be dispensed. Please choose another amount.",
        [ResponseCodes.InvalidCardNumber] = "Your card number is not recognised. Please contact your bank.",
        [ResponseCodes.CustomerCancellation] = "Your transaction was cancelled.",
        [ResponseCodes.UnableToLocateOriginal] = "Your bank could not find the original transaction.",
        [ResponseCodes.FormatError] = "Your bank could not read the request. Please try again.",
        [ResponseCodes.NoCreditAccount] = "Your card has no credit account.",
        [ResponseCodes.LostCard] = "This card has been reported lost and cannot be used. Please contact your bank.",
        [ResponseCodes.StolenCard] = "This card has been reported stolen and cannot be used. Please contact your bank.",
        [ResponseCodes.InsufficientFunds] = "There are not enough funds in your account for this withdrawal.",
        [ResponseCodes.NoCheckingAccount] = "Your card has no checking account.",
        [ResponseCodes.NoSavingsAccount] = "Your card has no savings account.",
        [ResponseCodes.ExpiredCard] = "Your card has expired. Please contact your bank for a new one.",
        [ResponseCodes.IncorrectPin] = "The PIN you entered is incorrect.",
        [ResponseCodes.NotPermittedToTerminal] = "This ATM cannot carry out transactions at the moment. Please use another ATM.",
        [ResponseCodes.SuspectedFraud] = "Your card could not be verified and cannot be used. Please contact your bank.",
        [ResponseCodes.ExceedsAmountLimit] = "This withdrawal would exceed your daily withdrawal limit.",
        [ResponseCodes.RestrictedCard] = "Your card is restricted. Please contact your bank.",
        [ResponseCodes.SecurityViolation] = "A security check failed. " + NoMoneyTaken,
        [ResponseCodes.OriginalAmountIncorrect] = "Your bank could not match the amount to the original transaction. Please contact your bank.",
        [ResponseCodes.ExceedsFrequencyLimit] = "You have reached the number of withdrawals allowed today.",
        [ResponseCodes.ResponseReceivedTooLate] = "Your bank did not answer in time. No money was taken; please try again.",
        [ResponseCodes.PinTriesExceeded] = "You have entered an incorrect PIN too many times. Your card is blocked; please contact your bank.",
        [ResponseCodes.IssuerUnavailable] = "Your bank is not available at the moment. Please try again later.",
        [ResponseCodes.DuplicateTransmission] = "This transaction has already been processed.",
        [ResponseCodes.SystemMalfunction] = "Your bank had a technical problem. " + NoMoneyTaken,
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
