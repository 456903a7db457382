namespace SocketAtm.Protocol.Vocabulary;

/// <summary>The ISO 8583:1987 response codes (DE 39) SocketAtm answers with; PROTOCOL.md §8 says when each is used.</summary>
public static class ResponseCodes
{
    public const string Approved = "00";

    /// <summary>Upstream, in an 0420's DE 39 (the reason for the reversal): the terminal asked for it (its own 0400).</summary>
    public const string CustomerCancellation = "17";
    public const string InvalidTransaction = "12";
    public const string InvalidAmount = "13";
    public const string InvalidCardNumber = "14";
    public const string UnableToLocateOriginal = "25";
    public const string FormatError = "30";
    public const string NoCreditAccount = "39";
    public const string LostCard = "41";
    public const string StolenCard = "43";
    public const string InsufficientFunds = "51";
    public const string NoCheckingAccount = "52";
    public const string NoSavingsAccount = "53";
    public const string ExpiredCard = "54";
    public const string IncorrectPin = "55";
    public const string NotPermittedToTerminal = "58";

    /// <summary>Suspected fraud: the card data of track 2 (DE 35) disagrees with the card on file, or its CVV is wrong.</summary>
    public const string SuspectedFraud = "59";
    public const string ExceedsAmountLimit = "61";
    public const string RestrictedCard = "62";
    public const string SecurityViolation = "63";
    public const string OriginalAmountIncorrect = "64";
    public const string ExceedsFrequencyLimit = "65";

    /// <summary>
    /// Upstream, in an 0420's DE 39 (the reason for the reversal): the acquirer gave up on the original, since the issuer's
    /// answer came too late, not at all, or could not be trusted, and the terminal was answered 91.
    /// </summary>
    public const string ResponseReceivedTooLate = "68";
    public const string PinTriesExceeded = "75";
    public const string IssuerUnavailable = "91";
    public const string DuplicateTransmission = "94";
    public const string SystemMalfunction = "96";

    /// <summary>A short meaning of <paramref name="code"/> for people (the operations console, reports); "Other" for one SocketAtm never sends.</summary>
    public static string Describe(string code) => code switch
    {
        Approved => "Approved",
        CustomerCancellation => "Customer cancellation",
        InvalidTransaction => "Invalid transaction",
        InvalidAmount => "Invalid amount",
        InvalidCardNumber => "Invalid card number",
        UnableToLocateOriginal => "Original not found",
        FormatError => "Format error",
        NoCreditAccount => "No credit account",
        LostCard => "Lost card",
        StolenCard => "Stolen card",
        InsufficientFunds => "Insufficient funds",
        NoCheckingAccount => "No checking account",
        NoSavingsAccount => "No savings account",
        ExpiredCard => "Expired card",
        IncorrectPin => "Incorrect PIN",
        NotPermittedToTerminal => "Not permitted to terminal",
        SuspectedFraud => "Suspected fraud",
        ExceedsAmountLimit => "Exceeds amount limit",
        RestrictedCard => "Restricted card",
        SecurityViolation => "Security violation",
        OriginalAmountIncorrect => "Original amount incorrect",
        ExceedsFrequencyLimit => "Exceeds frequency limit",
        ResponseReceivedTooLate => "Response received too late",
        PinTriesExceeded => "PIN tries exceeded",
        IssuerUnavailable => "Issuer or switch inoperative",
        DuplicateTransmission => "Duplicate transmission",
        SystemMalfunction => "System malfunction",
        _ => "Other",
    };
}
