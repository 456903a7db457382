namespace SocketAtm.Server.Ledger.Model;

/// <summary>
/// An account. <see cref="OpeningBalance"/> never changes: the balance must always equal it plus the sum of the
/// journal's deltas for the account, which is what the invariant check verifies.
/// </summary>
internal sealed record AccountRecord
{
    public required long Id { get; init; }

    public required AccountType Type { get; init; }

    /// <summary>ISO 4217 numeric currency.</summary>
    public required int Currency { get; init; }

    /// <summary>Balance when the account was created, in minor units.</summary>
    public required long OpeningBalance { get; init; }

    /// <summary>Current ledger balance, in minor units. There are no holds, so it is also the available balance.</summary>
    public required long Balance { get; init; }
}
