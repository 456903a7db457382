using Microsoft.Extensions.Options;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Transport;

namespace SocketAtm.Server.Hosting;

/// <summary>
/// Off loopback, the key-encryption key file must not sit where the data is, nor be open to other users: a copy or
/// backup of the data directory must not carry the key that opens its terminal keys and PVK, and no other account on
/// the machine may read (or replace) it. Refused at start with one line. Not checked when the key is given directly
/// (<c>Ledger:KeyEncryptionKey</c>, from the environment), nor on loopback, where the demo's generated
/// <c>data/kek.key</c> is fine.
/// </summary>
internal sealed class KeyEncryptionKeyFileCheck(IOptions<ListenerOptions> listener) : IValidateOptions<LedgerOptions>
{
    public ValidateOptionsResult Validate(string? name, LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = listener.Value;
        if (address.IsLoopback || !string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
        {
            return ValidateOptionsResult.Success;
        }

        var file = Resolve(options.KeyEncryptionKeyFilePath);
        var dataDirectory = Resolve(Path.GetFullPath(options.DataDirectory));
        if (IsInside(file, dataDirectory))
        {
            return ValidateOptionsResult.Fail(
                $"the key-encryption key file '{file}' is inside the data directory '{dataDirectory}' and Listener:Address {address.Address} is not loopback: a copy of the data would carry the key to its secrets. Keep it elsewhere (Ledger:KeyEncryptionKeyFile, mode 600) or give SOCKETATM_Ledger__KeyEncryptionKey.");
        }

        if (KeyFileMode.IsOpenToOthers(file, out var octal))
        {
            return ValidateOptionsResult.Fail(
                $"the key-encryption key file '{file}' is open to group or others (mode {octal}) and Listener:Address {address.Address} is not loopback: make it owner-only (chmod 600).");
        }

        return ValidateOptionsResult.Success;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> itself or anywhere below it.</summary>
    private static bool IsInside(string path, string directory)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var root = Path.TrimEndingDirectorySeparator(directory);
        return path.Equals(root, comparison) || path.StartsWith(root + Path.DirectorySeparatorChar, comparison);
    }

    /// <summary>The full path with symbolic links resolved where they exist, so a link cannot hide where the key really is.</summary>
    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            var parent = Path.GetDirectoryName(full);
            var resolvedParent = parent is null ? null : Resolve(parent);
            var joined = resolvedParent is null ? full : Path.Combine(resolvedParent, Path.GetFileName(full));
            FileSystemInfo info = Directory.Exists(joined) ? new DirectoryInfo(joined) : new FileInfo(joined);
            return info.LinkTarget is null ? joined : Path.GetFullPath(info.ResolveLinkTarget(returnFinalTarget: true)!.FullName);
        }
        catch (IOException)
        {
            return full;
        }
        catch (UnauthorizedAccessException)
        {
            return full;
        }
    }
}
