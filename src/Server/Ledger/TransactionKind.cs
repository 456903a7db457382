namespace SocketAtm.Server.Ledger;

/// <summary>The financial operations the ledger applies.</summary>
internal enum TransactionKind : byte
{
    /// <summary>Balance inquiry (processing code 30xxxx/31xxxx): verifies the PIN, changes no money.</summary>
    BalanceInquiry,

    /// <summary>Cash withdrawal (processing code 01xxxx): debits the account when approved.</summary>
    Withdrawal,

    /// <summary>Reversal or reversal advice of an earlier withdrawal, full or partial.</summary>
    Reversal,
}
