using System.Globalization;
using System.Text;
using System.Text.Json;
using SocketAtm.Client;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.TerminalClient.Scripted;

/// <summary>Writes a command's outcome for people (one or two lines) or for programs (one JSON object), and picks the exit code.</summary>
internal sealed class ReportWriter
{
    private readonly TextWriter _output;
    private readonly bool _json;

    public ReportWriter(TextWriter output, bool json)
    {
        _output = output;
        _json = json;
    }

    public static int ExitCodeOf(TransactionResult result) => result.Outcome switch
    {
        TransactionOutcome.Approved => ExitCodes.Approved,
        TransactionOutcome.Declined => ExitCodes.Declined,
        _ => ExitCodes.Failed,
    };

    public int Transaction(string command, TransactionResult result, long amount, long? dispensed, ReversalResult? reversal, bool reversalPending)
    {
        if (_json)
        {
            WriteJson(writer =>
            {
                writer.WriteString("command", command);
                writer.WriteString("terminal", result.TerminalId);
                writer.WriteString("outcome", JsonNamingPolicy.CamelCase.ConvertName(result.Outcome.ToString()));
                if (result.Trace is { } trace)
                {
                    writer.WriteNumber("stan", trace.Stan);
                    writer.WriteString("transmissionDateTime", trace.TransmissionDateTime);
                }

                if (amount > 0)
                {
                    WriteAmount(writer, "amount", amount);
                }

                switch (result)
                {
                    case TransactionApproved approved:
                        writer.WriteString("responseCode", ResponseCodes.Approved);
                        writer.WriteString("meaning", ResponseCodeText.Meaning(ResponseCodes.Approved));
                        writer.WriteString("authorizationId", approved.AuthorizationId);
                        writer.WriteString("retrievalReferenceNumber", approved.RetrievalReferenceNumber);
                        writer.WriteString("card", approved.MaskedPan);
                        WriteBalance(writer, approved.Balance);
                        if (dispensed is { } cash)
                        {
                            WriteAmount(writer, "dispensed", cash);
                        }

                        break;
                    case TransactionDeclined declined:
                        writer.WriteString("responseCode", declined.ResponseCode);
                        writer.WriteString("meaning", declined.Meaning);
                        WriteBalance(writer, declined.Balance);
                        break;
                    case TransactionTimedOut timedOut:
                        writer.WriteString("reason", JsonNamingPolicy.CamelCase.ConvertName(timedOut.Reason.ToString()));
                        break;
                    case TransactionNotSent notSent:
                        writer.WriteString("reason", notSent.Reason);
                        break;
                }

                WriteReversal(writer, reversal, reversalPending);
            });
        }
        else
        {
            _output.WriteLine(Describe(command, result, amount));
            if (result is TransactionApproved { Amount: > 0 } && dispensed is { } cash && cash < amount)
            {
                _output.WriteLine($"  dispensed {MinorUnits.Format(cash)} of {MinorUnits.Format(amount)}");
            }

            if (reversal is not null || reversalPending)
            {
                _output.WriteLine("  " + DescribeReversal(reversal, reversalPending));
            }
        }

        return ExitCodeOf(result);
    }

    public int Echo(string terminalId, NetworkResult result)
    {
        var outcome = result.IsApproved ? "approved" : result.ResponseCode is null ? "failed" : "declined";
        if (_json)
        {
            WriteJson(writer =>
            {
                writer.WriteString("command", "echo");
                writer.WriteString("terminal", terminalId);
                writer.WriteString("outcome", outcome);
                writer.WriteString("responseCode", result.ResponseCode);
                if (result.ResponseCode is { } code)
                {
                    writer.WriteString("meaning", ResponseCodeText.Meaning(code));
                }

                writer.WriteNumber("roundTripMs", Math.Round(result.RoundTrip.TotalMilliseconds, 1));
            });
        }
        else
        {
            _output.WriteLine(result.ResponseCode is { } code
                ? string.Create(CultureInfo.InvariantCulture, $"{(result.IsApproved ? "Approved" : "Declined")}  echo  terminal {terminalId}  {code} {ResponseCodeText.Meaning(code)}  {result.RoundTrip.TotalMilliseconds:0.0} ms")
                : $"Failed  echo  terminal {terminalId}  no answer ({result.Problem})");
        }

        return outcome switch { "approved" => ExitCodes.Approved, "declined" => ExitCodes.Declined, _ => ExitCodes.Failed };
    }

    public int Failure(string command, string terminalId, string reason)
    {
        if (_json)
        {
            WriteJson(writer =>
            {
                writer.WriteString("command", command);
                writer.WriteString("terminal", terminalId);
                writer.WriteString("outcome", "failed");
                writer.WriteString("reason", reason);
            });
        }
        else
        {
            _output.WriteLine($"Failed  {command}  terminal {terminalId}  {reason}");
        }

        return ExitCodes.Failed;
    }

    private static string Describe(string command, TransactionResult result, long amount)
    {
        var what = amount > 0 ? $"withdrawal {MinorUnits.Format(amount)}" : "balance inquiry";
        return result switch
        {
            TransactionApproved approved => new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"Approved  {what}  card {approved.MaskedPan}  terminal {approved.TerminalId}\n")
                .Append(CultureInfo.InvariantCulture, $"  auth id {approved.AuthorizationId}  RRN {approved.RetrievalReferenceNumber}  STAN {approved.Trace.Stan:D6}")
                .Append(approved.Balance is { } balance
                    ? $"  available {MinorUnits.Format(balance.Available)}  ledger {MinorUnits.Format(balance.Ledger)}"
                    : string.Empty)
                .ToString(),
            TransactionDeclined declined => string.Create(CultureInfo.InvariantCulture, $"Declined  {what}  terminal {declined.TerminalId}  {declined.ResponseCode} {declined.Meaning}  STAN {declined.Trace.Stan:D6}"),
            TransactionTimedOut timedOut => string.Create(CultureInfo.InvariantCulture, $"Failed  {what}  terminal {timedOut.TerminalId}  no valid answer ({timedOut.Reason})  STAN {timedOut.Trace.Stan:D6}"),
            TransactionNotSent notSent => $"Failed  {what}  not sent: {notSent.Reason}",
            _ => result.ToString(),
        };
    }

    private static string DescribeReversal(ReversalResult? reversal, bool pending) => reversal switch
    {
        null when pending => "reversal sent, not yet acknowledged",
        { Outcome: ReversalOutcome.Acknowledged } r => string.Create(
            CultureInfo.InvariantCulture,
            $"{(r.DispensedAmount > 0 ? "partial reversal" : "reversal")} acknowledged: {r.ResponseCode} {ResponseCodeText.Meaning(r.ResponseCode!)} (STAN {r.Trace!.Stan:D6}, {r.Attempts} attempt{(r.Attempts == 1 ? "" : "s")})"),
        { Outcome: ReversalOutcome.Abandoned } r => $"reversal NOT acknowledged after {r.Attempts} attempts",
        _ => "nothing to reverse",
    };

    private static void WriteAmount(Utf8JsonWriter writer, string name, long minor)
    {
        writer.WriteString(name, MinorUnits.Format(minor).Replace(",", string.Empty, StringComparison.Ordinal));
        writer.WriteNumber(name + "Minor", minor);
    }

    private static void WriteBalance(Utf8JsonWriter writer, AccountBalance? balance)
    {
        if (balance is null)
        {
            return;
        }

        writer.WriteStartObject("balance");
        WriteAmount(writer, "available", balance.Available);
        WriteAmount(writer, "ledger", balance.Ledger);
        writer.WriteNumber("currency", balance.CurrencyCode);
        writer.WriteEndObject();
    }

    private static void WriteReversal(Utf8JsonWriter writer, ReversalResult? reversal, bool pending)
    {
        if (reversal is null && !pending)
        {
            return;
        }

        writer.WriteStartObject("reversal");
        writer.WriteString("outcome", reversal is null ? "pending" : JsonNamingPolicy.CamelCase.ConvertName(reversal.Outcome.ToString()));
        if (reversal is not null)
        {
            writer.WriteString("responseCode", reversal.ResponseCode);
            WriteAmount(writer, "dispensed", reversal.DispensedAmount);
            writer.WriteNumber("attempts", reversal.Attempts);
            if (reversal.Trace is { } trace)
            {
                writer.WriteNumber("stan", trace.Stan);
            }
        }

        writer.WriteEndObject();
    }

    private void WriteJson(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        _output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
