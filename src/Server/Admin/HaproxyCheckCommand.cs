using System.Buffers;
using System.CommandLine;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Server.Admin;

/// <summary>
/// <c>admin haproxy-check --terminal ID</c>: the two tcp-check lines of deploy/haproxy.cfg for a health-check terminal of
/// the operator's own, so that nobody hand-encodes ISO 8583 in hex. The check signs the terminal on (0800, DE 70 = 001)
/// and expects response code 00 followed by the terminal id, as DE 39 and DE 41 appear in the 0810.
/// </summary>
internal static class HaproxyCheckCommand
{
    // Fixed: HAProxy sends the same bytes every time, and a sign-on is harmless to repeat.
    private const string TransmissionDateTime = "1125093000";
    private const string Stan = "000001";

    public static Command Create(TextWriter output)
    {
        var terminal = new Option<string>("--terminal")
        {
            // No default: the check must sign on a terminal of the operator's own, never a published demo terminal.
            Description = "A registered, enabled terminal of your own kept for the health check (add-terminal; no MAC needed for a sign-on).",
            Required = true,
        };
        var command = new Command("haproxy-check", "Print the tcp-check lines of deploy/haproxy.cfg for a health-check terminal.") { terminal };
        command.SetAction(async (result, _) =>
        {
            var id = result.GetRequiredValue(terminal);
            if (id.Length != 8 || id.Any(c => c is < ' ' or > '~'))
            {
                await Console.Error.WriteLineAsync("socketatm admin: --terminal must be 8 printable characters (DE 41).");
                return 2;
            }

            await output.WriteLineAsync("    tcp-check send-binary " + SignOnFrameHex(id));
            await output.WriteLineAsync("    tcp-check expect binary " + Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(ResponseCodes.Approved + id)));
            return 0;
        });
        return command;
    }

    /// <summary>The framed 0800 sign-on of <paramref name="terminalId"/>, in upper-case hex.</summary>
    public static string SignOnFrameHex(string terminalId)
    {
        var signOn = new IsoMessage { Mti = MessageTypes.NetworkManagementRequest };
        signOn.Set(DataElements.TransmissionDateTime, TransmissionDateTime);
        signOn.Set(DataElements.Stan, Stan);
        signOn.Set(DataElements.TerminalId, terminalId);
        signOn.SetNumber(DataElements.NetworkManagementCode, NetworkManagementCodes.SignOn);
        var frame = new ArrayBufferWriter<byte>();
        FrameWriter.WriteFrame(frame, signOn);
        return Convert.ToHexString(frame.WrittenSpan);
    }
}
