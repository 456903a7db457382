using System.Security.Cryptography;
using SocketAtm.Server.Security;

namespace SocketAtm.Server.Ledger;

/// <summary>A registered terminal as the sessions see it. Keys are double-length 3DES keys, clear in memory only.</summary>
internal sealed record TerminalRecord
{
    /// <summary>Terminal id (DE 41), 8 characters.</summary>
    public required string TerminalId { get; init; }

    /// <summary>False when the terminal is disabled: its messages are answered 58.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Terminal master key (TMK), under which working keys are exchanged.</summary>
    public required byte[] MasterKey { get; init; }

    /// <summary>Current PIN key (TPK), under which DE 52 is encrypted.</summary>
    public required byte[] PinKey { get; init; }

    /// <summary>Current MAC key (TAK).</summary>
    public required byte[] MacKey { get; init; }

    /// <summary>True when this terminal's messages must carry a MAC.</summary>
    public bool RequiresMac { get; init; }

    /// <summary>
    /// Counts the changes of this terminal's keys (1 when registered, one more at each key exchange or registration
    /// again, and when it is enabled or disabled), as stored with them. It tells a cached record from a newer one, and the writer whether the keys a PIN was
    /// verified under are still the terminal's.
    /// </summary>
    public long KeyVersion { get; init; } = 1;

    /// <summary>The working keys replaced by the last key exchange, still accepted until they expire; null when none.</summary>
    public PreviousWorkingKeys? PreviousKeys { get; init; }

    /// <summary>The previous keys if they are still valid at <paramref name="now"/>.</summary>
    public PreviousWorkingKeys? PreviousKeysAt(DateTimeOffset now) => PreviousKeys is { } previous && now < previous.ValidUntil ? previous : null;

    /// <summary>The PIN keys a PIN block received at <paramref name="now"/> may be encrypted under.</summary>
    public TerminalPinKeys PinKeysAt(DateTimeOffset now) => new(PinKey, PreviousKeysAt(now)?.PinKey, KeyVersion);

    /// <summary>True when <paramref name="pinKey"/> and <paramref name="macKey"/> are this terminal's current working keys.</summary>
    public bool HasWorkingKeys(byte[] pinKey, byte[] macKey) =>
        CryptographicOperations.FixedTimeEquals(PinKey, pinKey) && CryptographicOperations.FixedTimeEquals(MacKey, macKey);

    /// <summary>After a key exchange: the new working keys, the replaced ones accepted until <paramref name="previousValidUntil"/>, the next version.</summary>
    public TerminalRecord WithExchangedKeys(byte[] pinKey, byte[] macKey, DateTimeOffset previousValidUntil) => this with
    {
        PinKey = pinKey,
        MacKey = macKey,
        PreviousKeys = new PreviousWorkingKeys(PinKey, MacKey, previousValidUntil),
        KeyVersion = KeyVersion + 1,
    };
}
