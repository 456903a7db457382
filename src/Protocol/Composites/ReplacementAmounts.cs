using System.Globalization;

namespace SocketAtm.Protocol.Composites;

/// <summary>
/// DE 95, replacement amounts (42 characters): the actual transaction amount (12 digits) — on a partial reversal, what
/// the ATM did dispense — then the actual settlement amount (12) and two fees (9 each), which SocketAtm sends as zeros
/// and does not read.
/// </summary>
public static class ReplacementAmounts
{
    public const int Length = 42;

    private const int ActualAmountLength = 12;

    /// <summary>DE 95 for a dispensed amount of <paramref name="actualAmount"/> minor units.</summary>
    public static string Format(long actualAmount) =>
        string.Create(CultureInfo.InvariantCulture, $"{actualAmount:D12}{new string('0', Length - ActualAmountLength)}");

    /// <summary>The actual amount in DE 95's first 12 characters; false when they are not digits.</summary>
    public static bool TryReadActualAmount(ReadOnlySpan<byte> field, out long actualAmount)
    {
        actualAmount = 0;
        return field.Length >= ActualAmountLength && Digits.TryRead(field[..ActualAmountLength], out actualAmount);
    }
}
