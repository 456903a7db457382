namespace SocketAtm.Client;

/// <summary>The account a transaction draws on: positions 3–4 of the processing code (DE 3).</summary>
public enum AccountType
{
    /// <summary>The card's default account (<c>00</c>).</summary>
    Default = 0,

    /// <summary>Savings (<c>10</c>).</summary>
    Savings = 10,

    /// <summary>Checking (<c>20</c>).</summary>
    Checking = 20,

    /// <summary>Credit (<c>30</c>).</summary>
    Credit = 30,
}
