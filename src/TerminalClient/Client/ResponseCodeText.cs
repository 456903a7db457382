using SocketAtm.Protocol.Vocabulary;
namespace SocketAtm.Client;

/// <summary>The meaning of every response code (DE 39) of PROTOCOL.md §10, in a few words.</summary>
public static class ResponseCodeText
{
    private static readonly Dictionary<string, string> Meanings = new(StringComparer.Ordinal)
    {
        [ResponseCodes.Approved] = "Approved",
        [ResponseCodes.InvalidTransaction] = "Invalid transaction",
        [ResponseCodes.InvalidAmount] = "Invalid amount",
        [ResponseCodes.InvalidCardNumber] = "Invalid card number",
        [ResponseCodes.CustomerCancellation] = "Customer cancellation",
        [ResponseCodes.UnableToLocateOriginal] = "Unable to locate original",
        [ResponseCodes.FormatError] = "Format error",
        [ResponseCodes.NoCreditAccount] = "No credit account",
        [ResponseCodes.LostCard] = "Lost card",
        [ResponseCodes.StolenCard] = "Stolen card",
        [ResponseCodes.InsufficientFunds] = "Insufficient funds",
        [ResponseCodes.NoCheckingAccount] = "No checking account",
        [ResponseCodes.NoSavingsAccount] = "No savings account",
        [ResponseCodes.ExpiredCard] = "Expired card",
        [ResponseCodes.IncorrectPin] = "Incorrect PIN",
        [ResponseCodes.NotPermittedToTerminal] = "Transaction not permitted to terminal",
        [ResponseCodes.SuspectedFraud] = "Suspected fraud",
        [ResponseCodes.ExceedsAmountLimit] = "Exceeds amount limit",
        [ResponseCodes.RestrictedCard] = "Restricted card",
        [ResponseCodes.SecurityViolation] = "Security violation",
        [ResponseCodes.OriginalAmountIncorrect] = "Original amount incorrect",
        [ResponseCodes.ExceedsFrequencyLimit] = "Exceeds frequency limit",
        [ResponseCodes.ResponseReceivedTooLate] = "Response received too late",
        [ResponseCodes.PinTriesExceeded] = "PIN tries exceeded",
        [ResponseCodes.IssuerUnavailable] = "Issuer unavailable",
        [ResponseCodes.DuplicateTransmission] = "Duplicate transmission",
        [ResponseCodes.SystemMalfunction] = "System malfunction",
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
