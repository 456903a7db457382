namespace SocketAtm.Server.Ledger;

/// <summary>Account type as carried in positions 3–4 of the processing code (DE 3).</summary>
internal enum AccountType : byte
{
    /// <summary>00: the card's default account.</summary>
    Default = 0,

    /// <summary>10: savings.</summary>
    Savings = 10,

    /// <summary>20: checking (cheque).</summary>
    Checking = 20,

    /// <summary>30: credit.</summary>
    Credit = 30,
}
