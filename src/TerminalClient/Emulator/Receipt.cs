using System.Globalization;
using SocketAtm.Client;

namespace SocketAtm.TerminalClient.Emulator;

/// <summary>What the receipt printer prints after a withdrawal.</summary>
internal sealed record Receipt(
    DateTimeOffset LocalTime,
    string TerminalId,
    string MaskedPan,
    string AuthorizationId,
    string RetrievalReferenceNumber,
    int Stan,
    long AmountApproved,
    long AmountDispensed,
    long? RemainingBalance,
    string? Note)
{
    /// <summary>The printed lines, label and value.</summary>
    public IReadOnlyList<(string Label, string Value)> Lines()
    {
        var lines = new List<(string, string)>
        {
            ("Date", LocalTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
            ("Terminal", TerminalId),
            ("Card", MaskedPan),
            ("Auth id", AuthorizationId),
            ("RRN", RetrievalReferenceNumber),
            ("STAN", Stan.ToString("D6", CultureInfo.InvariantCulture)),
            ("Amount", MinorUnits.Format(AmountDispensed)),
        };
        if (AmountDispensed != AmountApproved)
        {
            lines.Add(("Approved", MinorUnits.Format(AmountApproved)));
        }

        lines.Add(("Balance", RemainingBalance is { } balance ? MinorUnits.Format(balance) : "not available"));
        return lines;
    }
}
