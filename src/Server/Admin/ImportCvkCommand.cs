using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Server.Admin;

/// <summary>
/// <c>admin import-cvk</c>: replaces the issuer's card verification key pair (CVK A then CVK B) with the key its
/// custodians hold as two or three components, each in a file of its own, each with its KCV. The clear key is never on
/// the command line: it exists only as the XOR of the components, in memory, until it is stored encrypted under the
/// key-encryption key. Every component's KCV and the key's are shown and must be the ones given, or nothing changes.
/// </summary>
internal static class ImportCvkCommand
{
    public static Command Create(Option<string?> data, TextWriter output)
    {
        var components = new Option<string[]>("--component")
        {
            Description = "A file holding one key component, 32 hex digits (give 2 or 3, in order).",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var componentKcvs = new Option<string[]>("--component-kcv")
        {
            Description = "The KCV of each component, 6 hex digits, in the same order as --component.",
            Required = true,
        };
        var kcv = new Option<string>("--kcv") { Description = "The KCV of the CVK pair the components make, 6 hex digits.", Required = true };
        var command = new Command(
            "import-cvk",
            "Import the issuer's card verification key pair (CVK A + CVK B) from 2 or 3 component files, each checked against its KCV; hosts use it from their next start.")
        {
            components, componentKcvs, kcv,
        };
        command.SetAction((result, cancellation) => AdminCommandLine.WithLedgerAsync(result, data, output, async ledger =>
        {
            var key = Combine(result.GetRequiredValue(components), result.GetRequiredValue(componentKcvs), result.GetRequiredValue(kcv), output);
            try
            {
                await ledger.ImportCardVerificationKeyAsync(key, cancellation);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }

            await output.WriteLineAsync(
                "CVK imported. Hosts verify track 2 under it from their next start (restart every host sharing a PostgreSQL database); a track 2 written under the previous CVK no longer verifies (59).");
            return 0;
        }));
        return command;
    }

    /// <summary>The XOR of the components, each read and checked against its KCV, the result against <paramref name="expectedKcv"/>.</summary>
    /// <exception cref="AdminException">A file, a component or a KCV is not what it must be; nothing was stored.</exception>
    internal static byte[] Combine(IReadOnlyList<string> files, IReadOnlyList<string> componentKcvs, string expectedKcv, TextWriter output)
    {
        if (files.Count is < 2 or > 3)
        {
            throw new AdminException("Give 2 or 3 --component files: a key is never imported from one.");
        }

        if (componentKcvs.Count != files.Count)
        {
            throw new AdminException("Give one --component-kcv for each --component, in the same order.");
        }

        var key = new byte[DoubleLengthKey.Length];
        var component = new byte[DoubleLengthKey.Length];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            for (var index = 0; index < files.Count; index++)
            {
                ComponentFile.Read(files[index], component);
                if (HasEqualHalves(component))
                {
                    throw new AdminException(string.Create(CultureInfo.InvariantCulture,
                        $"Component {index + 1} ({files[index]}) has two equal halves: not a double-length key component. Nothing imported."));
                }

                var componentKcv = KeyCheckValue.ToHex(component);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Component {index + 1}: KCV {componentKcv}"));
                if (!KcvEquals(componentKcv, componentKcvs[index]))
                {
                    throw new AdminException(string.Create(CultureInfo.InvariantCulture,
                        $"Component {index + 1} ({files[index]}) has KCV {componentKcv}, not {componentKcvs[index]}: nothing imported."));
                }

                if (!seen.Add(componentKcv))
                {
                    throw new AdminException("Two components are the same: they would cancel out. Nothing imported.");
                }

                for (var i = 0; i < key.Length; i++)
                {
                    key[i] ^= component[i];
                }
            }

            if (HasEqualHalves(key))
            {
                throw new AdminException("The components make a key whose CVK A and CVK B are the same: that is single DES, not a CVK pair. Nothing imported.");
            }

            var keyKcv = KeyCheckValue.ToHex(key);
            output.WriteLine($"CVK pair: KCV {keyKcv}");
            if (!KcvEquals(keyKcv, expectedKcv))
            {
                throw new AdminException($"The components make a key with KCV {keyKcv}, not {expectedKcv}: nothing imported.");
            }

            return key;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(key);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(component);
        }
    }

    private static bool HasEqualHalves(ReadOnlySpan<byte> key) =>
        key[..DoubleLengthKey.BlockLength].SequenceEqual(key[DoubleLengthKey.BlockLength..]);

    private static bool KcvEquals(string computed, string given) =>
        string.Equals(computed, given.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads a key component file: 32 hex digits, spaces, dashes and line breaks between them allowed. A small reader of
    /// this command's own; the other key imports read their components the same way.
    /// </summary>
    private static class ComponentFile
    {
        public static void Read(string path, Span<byte> component)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new AdminException($"Cannot read component file {path}: {exception.Message}");
            }

            Span<char> digits = stackalloc char[2 * DoubleLengthKey.Length];
            var count = 0;
            foreach (var character in text)
            {
                if (char.IsWhiteSpace(character) || character == '-')
                {
                    continue;
                }

                if (!char.IsAsciiHexDigit(character) || count == digits.Length)
                {
                    digits.Clear();
                    throw new AdminException($"Component file {path} must hold one key component: 32 hex digits.");
                }

                digits[count++] = character;
            }

            if (count != digits.Length)
            {
                digits.Clear();
                throw new AdminException($"Component file {path} must hold one key component: 32 hex digits.");
            }

            Convert.FromHexString(digits, component, out _, out _);
            digits.Clear();
        }
    }
}
