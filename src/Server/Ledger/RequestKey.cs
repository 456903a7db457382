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
}
