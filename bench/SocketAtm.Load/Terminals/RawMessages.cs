using System.Globalization;
using System.Security.Cryptography;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Security;

namespace SocketAtm.Load.Terminals;

/// <summary>The few requests the raw driver builds, laid out as PROTOCOL.md §6 says.</summary>
internal static class RawMessages
{
    public const int SignOn = 1;
    public const int Echo = 301;
    public const string WithdrawalProcessingCode = "010000";

    /// <summary>DE 7: MMDDhhmmss in GMT.</summary>
    public static string TransmissionDateTime(DateTimeOffset now) =>
        now.UtcDateTime.ToString("MMddHHmmss", CultureInfo.InvariantCulture);

    public static void NetworkManagement(IsoMessage message, string terminalId, int stan, string transmissionDateTime, int code)
    {
        message.Clear();
        message.Mti = 800;
        message.Set(7, transmissionDateTime);
        message.SetNumber(11, stan);
        message.Set(41, terminalId);
        message.SetNumber(70, code);
    }

    /// <summary>An 0200 withdrawal from the default account, or its repeat 0201 when <paramref name="mti"/> is 201.</summary>
    public static void Withdrawal(
        IsoMessage message,
        int mti,
        RawRequestIdentity identity,
        string pan,
        string pin,
        long amount,
        ReadOnlySpan<byte> pinKey)
    {
        message.Clear();
        message.Mti = mti;
        message.Set(2, pan);
        message.Set(3, WithdrawalProcessingCode);
        message.SetNumber(4, amount);
        message.Set(7, identity.TransmissionDateTime);
        message.SetNumber(11, identity.Stan);
        message.Set(32, identity.AcquirerId);
        message.Set(41, identity.TerminalId);
        message.SetNumber(49, 840);
        Span<byte> pinDigits = stackalloc byte[PinBlock.MaxPinLength];
        Span<byte> panDigits = stackalloc byte[PinBlock.MaxPanLength];
        Span<byte> block = stackalloc byte[PinBlock.Length];
        try
        {
            for (var i = 0; i < pin.Length; i++)
            {
                pinDigits[i] = (byte)pin[i];
            }

            for (var i = 0; i < pan.Length; i++)
            {
                panDigits[i] = (byte)pan[i];
            }

            PinBlock.Encrypt(pinKey, pinDigits[..pin.Length], panDigits[..pan.Length], block);
            message.Set(52, block);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pinDigits);
            CryptographicOperations.ZeroMemory(block);
        }
    }
}
