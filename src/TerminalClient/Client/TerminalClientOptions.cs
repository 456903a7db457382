namespace SocketAtm.Client;

/// <summary>Who a terminal is and how it behaves: identity, keys, MAC use, timeouts.</summary>
public sealed record TerminalClientOptions
{
    /// <summary>The terminal id sent in DE 41: 1–8 printable characters, registered on the host.</summary>
    public required string TerminalId { get; init; }

    /// <summary>The acquiring institution id sent in DE 32 (part of the idempotency key): 1–11 digits, or null to omit DE 32.</summary>
    public string? AcquirerId { get; init; } = "123456";

    /// <summary>ISO 4217 numeric currency of withdrawals (DE 49).</summary>
    public int CurrencyCode { get; init; } = 840;

    /// <summary>
    /// Whether financial messages carry a MAC and responses must carry a correct one. Null follows the demo
    /// configuration of PROTOCOL.md: ATM00001–ATM00008 use MACs, every other terminal does not.
    /// </summary>
    public bool? UseMac { get; init; }

    /// <summary>The terminal's keys; the published demo keys unless set.</summary>
    public TerminalKeys Keys { get; init; } = TerminalKeys.Demo;

    /// <summary>Whether to ask for new working keys (0800, DE 70 = 161) after every sign-on.</summary>
    public bool ExchangeKeysAtSignOn { get; init; }

    /// <summary>
    /// The pause before asking again after a key exchange got no valid answer (lost, garbled, a wrong KCV); it doubles per
    /// attempt. After the last attempt the terminal drops the link and exchanges keys again at the next sign-on.
    /// </summary>
    public TimeSpan KeyExchangeRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait for each response before the request counts as unanswered.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The pause between repeats (0401) of an unanswered reversal; it doubles up to eight times this.</summary>
    public TimeSpan ReversalRetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The first STAN (1–999999); a random one when null, so two runs in the same second do not reuse keys.</summary>
    public int? InitialStan { get; init; }

    internal bool ResolveUseMac() => UseMac ?? IsDemoMacTerminal(TerminalId);

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(TerminalId, nameof(TerminalId));
        if (TerminalId.Length > 8 || TerminalId.Any(c => c is < ' ' or > '~'))
        {
            throw new ArgumentException("A terminal id is 1–8 printable ASCII characters.", nameof(TerminalId));
        }

        if (AcquirerId is not null && (AcquirerId.Length is 0 or > 11 || !AcquirerId.All(char.IsAsciiDigit)))
        {
            throw new ArgumentException("An acquirer id is 1–11 digits.", nameof(AcquirerId));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(CurrencyCode, 1, nameof(CurrencyCode));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(CurrencyCode, 999, nameof(CurrencyCode));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, nameof(RequestTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReversalRetryInterval, TimeSpan.Zero, nameof(ReversalRetryInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(KeyExchangeRetryInterval, TimeSpan.Zero, nameof(KeyExchangeRetryInterval));
        if (InitialStan is { } stan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(stan, 1, nameof(InitialStan));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(stan, StanGenerator.MaxStan, nameof(InitialStan));
        }

        ArgumentNullException.ThrowIfNull(Keys, nameof(Keys));
    }

    /// <summary>ATM00001 … ATM00008: the demo terminals that PROTOCOL.md §13 configures for MACs.</summary>
    private static bool IsDemoMacTerminal(string terminalId) =>
        terminalId.Length == 8 && terminalId.StartsWith("ATM0000", StringComparison.Ordinal) && terminalId[7] is >= '1' and <= '8';
}
