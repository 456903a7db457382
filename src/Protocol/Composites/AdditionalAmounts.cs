using System.Globalization;

namespace SocketAtm.Protocol.Composites;

/// <summary>
/// DE 54, additional amounts: blocks of 20 characters — account type (2), amount type (2), currency (3), C or D (1),
/// amount in minor units (12). SocketAtm's balance answer carries two blocks, the ledger then the available balance.
/// </summary>
public static class AdditionalAmounts
{
    public const int BlockLength = 20;

    /// <summary>The length of a balance answer: a ledger and an available block.</summary>
    public const int BalancesLength = 2 * BlockLength;

    public const int LedgerBalance = 1;
    public const int AvailableBalance = 2;

    /// <summary>Writes the ledger and the available block into <paramref name="destination"/> (<see cref="BalancesLength"/> characters).</summary>
    public static void WriteBalances(Span<char> destination, int accountType, int currency, long ledger, long available)
    {
        WriteBlock(destination[..BlockLength], new AdditionalAmount(accountType, LedgerBalance, currency, ledger));
        WriteBlock(destination[BlockLength..BalancesLength], new AdditionalAmount(accountType, AvailableBalance, currency, available));
    }

    /// <summary>Writes one block (<see cref="BlockLength"/> characters); a negative amount is written as a debit (D).</summary>
    public static void WriteBlock(Span<char> block, AdditionalAmount amount)
    {
        amount.AccountType.TryFormat(block[..2], out _, "D2", CultureInfo.InvariantCulture);
        amount.AmountType.TryFormat(block[2..4], out _, "D2", CultureInfo.InvariantCulture);
        amount.Currency.TryFormat(block[4..7], out _, "D3", CultureInfo.InvariantCulture);
        block[7] = amount.Amount < 0 ? 'D' : 'C';
        Math.Abs(amount.Amount).TryFormat(block[8..BlockLength], out _, "D12", CultureInfo.InvariantCulture);
    }

    /// <summary>Reads block <paramref name="index"/> of <paramref name="field"/>; false when there is no such block or it is not well formed.</summary>
    public static bool TryReadBlock(ReadOnlySpan<byte> field, int index, out AdditionalAmount amount)
    {
        amount = default;
        var offset = index * BlockLength;
        if (index < 0 || offset + BlockLength > field.Length)
        {
            return false;
        }

        var block = field.Slice(offset, BlockLength);
        if (!Digits.TryRead(block[..2], out var accountType)
            || !Digits.TryRead(block[2..4], out var amountType)
            || !Digits.TryRead(block[4..7], out var currency)
            || block[7] is not ((byte)'C' or (byte)'D')
            || !Digits.TryRead(block[8..BlockLength], out var value))
        {
            return false;
        }

        amount = new AdditionalAmount((int)accountType, (int)amountType, (int)currency, block[7] == (byte)'D' ? -value : value);
        return true;
    }

    /// <summary>How many whole blocks <paramref name="field"/> holds.</summary>
    public static int BlockCount(ReadOnlySpan<byte> field) => field.Length / BlockLength;
}
