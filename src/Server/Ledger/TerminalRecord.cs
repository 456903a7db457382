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
    /// Counts the changes of this terminal's record (1 when registered, one more at each key exchange, each promotion of
    /// pending keys, each registration again, a new TMK, and when it is enabled or disabled), as stored with them. It tells
    /// a cached record from a newer one, and the writer whether the keys a PIN was verified under are still the terminal's.
    /// </summary>
    public long KeyVersion { get; init; } = 1;

    /// <summary>The working keys the last promotion replaced, still accepted until they expire; null when none.</summary>
    public PreviousWorkingKeys? PreviousKeys { get; init; }

    /// <summary>The working keys the last key exchange issued, not used by the terminal yet; null when none.</summary>
    public PendingWorkingKeys? PendingKeys { get; init; }

    /// <summary>The last key exchange that issued keys; null when none is known (none yet, or from before it was kept).</summary>
    public KeyExchangeRequest? LastKeyExchange { get; init; }

    /// <summary>The previous keys if they are still valid at <paramref name="now"/>.</summary>
    public PreviousWorkingKeys? PreviousKeysAt(DateTimeOffset now) => PreviousKeys is { } previous && now < previous.ValidUntil ? previous : null;

    /// <summary>The PIN keys a PIN block received at <paramref name="now"/> may be encrypted under.</summary>
    public TerminalPinKeys PinKeysAt(DateTimeOffset now) => new(PinKey, PreviousKeysAt(now)?.PinKey, PendingKeys?.PinKey, KeyVersion);

    /// <summary>True when <paramref name="pinKey"/> and <paramref name="macKey"/> are this terminal's current working keys.</summary>
    public bool HasWorkingKeys(byte[] pinKey, byte[] macKey) =>
        CryptographicOperations.FixedTimeEquals(PinKey, pinKey) && CryptographicOperations.FixedTimeEquals(MacKey, macKey);

    /// <summary>True when <paramref name="pinKey"/> and <paramref name="macKey"/> are this terminal's pending keys.</summary>
    public bool HasPendingKeys(byte[] pinKey, byte[] macKey) =>
        PendingKeys is { } pending
        && CryptographicOperations.FixedTimeEquals(pending.PinKey, pinKey)
        && CryptographicOperations.FixedTimeEquals(pending.MacKey, macKey);

    /// <summary>
    /// How <paramref name="exchange"/> stands to the last exchange that issued keys: the same one while its keys are still
    /// pending is a repeat (answered with them again); one not later than it is refused, because a replay of an older
    /// exchange would otherwise replace keys the terminal may already be using. A terminal's exchanges are ordered by DE 7,
    /// then DE 11 within one second.
    /// </summary>
    public KeyExchangeOrder OrderOf(KeyExchangeRequest exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (LastKeyExchange is not { } last)
        {
            return KeyExchangeOrder.Later;
        }

        if (exchange == last)
        {
            return PendingKeys is null ? KeyExchangeOrder.NotLater : KeyExchangeOrder.RepeatOfPending;
        }

        // Within one second, DE 11 orders them (a terminal counts it up; its wrap at 999999 within a second is not a case).
        var later = exchange.TransmittedAt > last.TransmittedAt || (exchange.TransmittedAt == last.TransmittedAt && exchange.Stan > last.Stan);
        return later ? KeyExchangeOrder.Later : KeyExchangeOrder.NotLater;
    }

    /// <summary>After a key exchange: the current keys unchanged, the new ones pending (replacing any unused ones), the next version.</summary>
    public TerminalRecord WithPendingKeys(byte[] pinKey, byte[] macKey, KeyExchangeRequest? exchange = null) => this with
    {
        PendingKeys = new PendingWorkingKeys(pinKey, macKey),
        LastKeyExchange = exchange ?? LastKeyExchange,
        KeyVersion = KeyVersion + 1,
    };

    /// <summary>
    /// After the terminal's first use of its pending keys: they are current, the replaced ones accepted until
    /// <paramref name="previousValidUntil"/>, none pending, the next version.
    /// </summary>
    /// <exception cref="InvalidOperationException">No keys are pending.</exception>
    public TerminalRecord WithPendingKeysPromoted(DateTimeOffset previousValidUntil)
    {
        var pending = PendingKeys ?? throw new InvalidOperationException($"Terminal {TerminalId} has no pending keys.");
        return this with
        {
            PinKey = pending.PinKey,
            MacKey = pending.MacKey,
            PreviousKeys = new PreviousWorkingKeys(PinKey, MacKey, previousValidUntil),
            PendingKeys = null,
            KeyVersion = KeyVersion + 1,
        };
    }
}
