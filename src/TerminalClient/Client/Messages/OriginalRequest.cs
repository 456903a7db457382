namespace SocketAtm.Client.Messages;

/// <summary>
/// What a reversal needs of the withdrawal it undoes: DE 90's parts, and the original DE 2, DE 3 and DE 4 (the host
/// reverses only for the original's card and amount).
/// </summary>
/// <param name="Pan">The card of the original, sent again in the reversal's DE 2. Never logged: <see cref="ToString"/> leaves it out.</param>
internal sealed record OriginalRequest(int Mti, int Stan, string TransmissionDateTime, string? AcquirerId, string ProcessingCode, long Amount, string Pan)
{
    /// <summary>Names the original by its trace only: the generated record text would print the PAN.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"original {Mti:D4} STAN {Stan:D6} DE 7 {TransmissionDateTime}");
}
