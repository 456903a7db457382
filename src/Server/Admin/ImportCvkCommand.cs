using System.CommandLine;
using System.Security.Cryptography;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Server.Admin;

/// <summary>
/// <c>admin import-cvk</c>: replaces the issuer's card verification key pair (CVK A then CVK B, one double-length key)
/// with the key its custodians hold as two or three components (<see cref="KeyComponentEntry"/>: files or prompts that
/// show nothing, each component's KCV shown and checked when given). <c>--kcv</c>, when given, must be the KCV of the
/// pair the components make, or nothing changes: the custodians' slips carry it, and a slip-up in one component would
/// otherwise store a CVK under which no real card's track 2 verifies.
/// </summary>
internal static class ImportCvkCommand
{
    public const string ComponentFileOption = "--cvk-component-file";

    public static Command Create(Option<string?> data, AdminConsole console)
    {
        var components = new Option<string[]>(ComponentFileOption)
        {
            Description = "A file holding one CVK component (32 hex digits, CVK A then CVK B, optionally followed by its KCV, which is checked); give it 2 or 3 times. Without it the components are asked for at prompts that show nothing.",
        };
        var kcv = new Option<string?>("--kcv") { Description = "The KCV of the CVK pair the components make, 6 hex digits; nothing is imported unless it matches." };
        var command = new Command(
            "import-cvk",
            "Import the issuer's card verification key pair (CVK A + CVK B) as 2 or 3 components; hosts verify track 2 under it from their next start.")
        {
            components, kcv,
        };
        command.SetAction((result, cancellation) => AdminCommandLine.WithLedgerAsync(result, data, console, async ledger =>
        {
            var key = new KeyComponentEntry("CVK", ComponentFileOption, console).Read(result.GetValue(components) ?? []);
            try
            {
                if (result.GetValue(kcv) is { } expected && !string.Equals(KeyCheckValue.ToHex(key), expected.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    throw new AdminException($"The components make a CVK pair with KCV {KeyCheckValue.ToHex(key)}, not the {expected.Trim()} given: nothing imported.");
                }

                await ledger.ImportCardVerificationKeyAsync(key, cancellation);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }

            await console.Output.WriteLineAsync(
                "CVK imported. Hosts verify track 2 under it from their next start (restart every host sharing a PostgreSQL database); a track 2 written under the previous CVK no longer verifies (59).");
            return 0;
        }));
        return command;
    }
}
