using System.Globalization;

namespace SocketAtm.Protocol.Vocabulary;

/// <summary>
/// The processing code (DE 3, six digits): transaction type (<see cref="TransactionTypes"/>), from-account type,
/// to-account type. The account types are 00 default, 10 savings, 20 checking, 30 credit; SocketAtm uses no to-account (00).
/// </summary>
public static class ProcessingCodes
{
    public const int Length = 6;

    /// <summary>The processing code of <paramref name="transactionType"/> from <paramref name="fromAccount"/>, to no account.</summary>
    public static string Format(int transactionType, int fromAccount) =>
        string.Create(CultureInfo.InvariantCulture, $"{transactionType:D2}{fromAccount:D2}00");

    /// <summary>The transaction type of a six-digit processing code with to-account 00; false for any other value.</summary>
    public static bool TryReadTransactionType(ReadOnlySpan<byte> code, out int transactionType)
    {
        transactionType = 0;
        if (code.Length != Length || code[4] != (byte)'0' || code[5] != (byte)'0' || !TryTwoDigits(code, out transactionType))
        {
            return false;
        }

        return true;
    }

    /// <summary>The from-account type (positions 3–4) of a processing code; false when it has fewer than four digits.</summary>
    public static bool TryReadFromAccount(ReadOnlySpan<byte> code, out int fromAccount)
    {
        fromAccount = 0;
        return code.Length >= 4 && TryTwoDigits(code[2..], out fromAccount);
    }

    private static bool TryTwoDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        if (!char.IsAsciiDigit((char)digits[0]) || !char.IsAsciiDigit((char)digits[1]))
        {
            return false;
        }

        value = ((digits[0] - '0') * 10) + (digits[1] - '0');
        return true;
    }
}
