using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace SocketAtm.Server.Ledger.KeyProtection;

/// <summary>
/// Finds the host's key-encryption key: <see cref="LedgerOptions.KeyEncryptionKey"/> (hex, from the environment or
/// the command line), else the file <see cref="LedgerOptions.KeyEncryptionKeyFile"/> (default: kek.key in the data
/// directory). A brand-new database without a KEK gets a fresh random one written to that file, so the first start
/// needs no set-up; an existing database whose KEK is missing refuses to open rather than lose its keys.
/// </summary>
internal static class KeyEncryptionKeySource
{
    public const string DefaultFileName = "kek.key";

    /// <summary>
    /// The key protector under this host's KEK (see <see cref="Load"/>); the KEK itself is wiped once the protector has
    /// derived its keys. A KEK generated here is logged as a warning (its path, never the key).
    /// </summary>
    /// <param name="databaseIsNew">True when the store holds no ledger yet.</param>
    public static KeyProtector CreateProtector(LedgerOptions options, bool databaseIsNew, ILogger logger)
    {
        var keyEncryptionKey = Load(options, databaseIsNew, out var generatedKeyFile);
        var protector = new KeyProtector(keyEncryptionKey);
        CryptographicOperations.ZeroMemory(keyEncryptionKey);
        if (generatedKeyFile is not null)
        {
            LedgerLog.GeneratedKeyEncryptionKey(logger, generatedKeyFile);
        }

        return protector;
    }

    /// <param name="databaseIsNew">True when the store holds no ledger yet (no data file; no stored keys).</param>
    /// <param name="generated">Set when a new KEK file was written (the caller warns about it).</param>
    public static byte[] Load(LedgerOptions options, bool databaseIsNew, out string? generated)
    {
        generated = null;
        if (!string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
        {
            return Parse(options.KeyEncryptionKey, "Ledger:KeyEncryptionKey");
        }

        var path = options.KeyEncryptionKeyFilePath;
        if (File.Exists(path))
        {
            return Parse(File.ReadAllText(path), $"the key-encryption key file '{path}'");
        }

        if (!databaseIsNew)
        {
            throw new LedgerStartupException(
                $"The ledger at '{options.DataFilePath}' holds encrypted keys, but its key-encryption key file '{path}' is missing; restore it, or set Ledger:KeyEncryptionKey(File).");
        }

        var key = RandomNumberGenerator.GetBytes(KeyProtector.KeyEncryptionKeyLength);
        OwnerOnlyFiles.CreateDirectory(Path.GetDirectoryName(path)!);
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.WriteThrough }.OwnerOnly();

        using (var writer = new StreamWriter(new FileStream(path, fileOptions)))
        {
            writer.Write(Convert.ToHexString(key));
        }

        generated = path;
        return key;
    }

    private static byte[] Parse(string text, string source)
    {
        var hex = text.Trim();
        if (hex.Length != KeyProtector.KeyEncryptionKeyLength * 2)
        {
            throw new LedgerStartupException($"{source} must be {KeyProtector.KeyEncryptionKeyLength * 2} hex digits (a 256-bit key).");
        }

        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new LedgerStartupException($"{source} must be {KeyProtector.KeyEncryptionKeyLength * 2} hex digits (a 256-bit key).");
        }
    }
}
