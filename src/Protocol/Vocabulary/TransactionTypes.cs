namespace SocketAtm.Protocol.Vocabulary;

/// <summary>Transaction types: the first two digits of the processing code (DE 3; <see cref="ProcessingCodes"/>).</summary>
public static class TransactionTypes
{
    public const int CashWithdrawal = 1;
    public const int BalanceInquiry = 30;
    public const int BalanceInquiryAlternate = 31;
}
