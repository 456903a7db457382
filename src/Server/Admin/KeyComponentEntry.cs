using System.Globalization;
using System.Security.Cryptography;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Server.Admin;

/// <summary>
/// A key ceremony at the command line: the key's two or three components come from files (one per custodian) or are
/// typed at prompts that show nothing, and each component's KCV, then the combined key's, is printed for the custodians
/// to check against their slips. Neither the key nor a component is ever printed, and neither is on the command line.
/// </summary>
/// <param name="keyName">What the key is called in prompts and output ("TMK", "PVK").</param>
/// <param name="fileOption">The option that names component files, for the message when there are none.</param>
internal sealed class KeyComponentEntry(string keyName, string fileOption, AdminConsole console)
{
    /// <summary>The combined key; the caller clears it once stored.</summary>
    /// <param name="files">Component files; none: the components are asked for at prompts.</param>
    /// <exception cref="AdminException">Too few or too many components, a bad one, a KCV that does not match, or no input.</exception>
    public byte[] Read(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count is > 0 and (< KeyComponents.Minimum or > KeyComponents.Maximum))
        {
            throw new AdminException($"{keyName}: give {fileOption} {KeyComponents.Minimum} or {KeyComponents.Maximum} times, not {files.Count}.");
        }

        var components = new List<byte[]>(KeyComponents.Maximum);
        try
        {
            for (var number = 1; number <= KeyComponents.Maximum; number++)
            {
                var text = files.Count > 0
                    ? number <= files.Count ? SecretFile.Read(files[number - 1], console.Error) : null
                    : Prompt(number);
                if (text is null || (number > KeyComponents.Minimum && text.AsSpan().Trim().IsEmpty))
                {
                    if (number <= KeyComponents.Minimum)
                    {
                        throw new AdminException(
                            $"No {keyName} component {number}: give {fileOption} for each component, or type them at the prompts.");
                    }

                    break;
                }

                try
                {
                    var name = files.Count > 0 ? $"{keyName} component {number} ({files[number - 1]})" : $"{keyName} component {number}";
                    components.Add(KeyComponents.Parse(text, name));
                }
                finally
                {
                    Array.Clear(text);
                }

                console.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{keyName} component {number}: KCV {KeyCheckValue.ToHex(components[^1])}"));
            }

            var key = KeyComponents.Combine(components, keyName);
            console.Output.WriteLine($"{keyName}: KCV {KeyCheckValue.ToHex(key)} (from {components.Count} components)");
            return key;
        }
        finally
        {
            foreach (var component in components)
            {
                CryptographicOperations.ZeroMemory(component);
            }
        }
    }

    private char[]? Prompt(int number) => console.Input.ReadSecret(
        number <= KeyComponents.Minimum
            ? string.Create(CultureInfo.InvariantCulture, $"{keyName} component {number} (32 hex digits, then its KCV if you have it; not shown): ")
            : string.Create(CultureInfo.InvariantCulture, $"{keyName} component {number} (Enter if there are only {number - 1}; not shown): "),
        console.Error);
}
