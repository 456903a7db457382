using System.Globalization;
using System.Text;

namespace SocketAtm.Protocol.Composites;

/// <summary>
/// DE 90, original data elements (42 digits): the original's MTI (4), STAN (6), transmission date and time (DE 7, 10),
/// acquiring institution id (DE 32 zero-filled to 11) and forwarding institution id (11; SocketAtm sends zeros and reads
/// nothing from it). A reversal names the request it undoes with it.
/// </summary>
/// <param name="Mti">The original's MTI (200 for an 0200).</param>
/// <param name="Stan">The original's DE 11.</param>
/// <param name="TransmissionDateTime">The original's DE 7, ten digits.</param>
/// <param name="AcquirerId">The original's DE 32 zero-filled to 11 digits (all zeros when it had none).</param>
public readonly record struct OriginalDataElements(int Mti, int Stan, string TransmissionDateTime, string AcquirerId)
{
    public const int Length = 42;

    /// <summary>The width DE 32 is zero-filled to inside DE 90 (and in the host's idempotency key).</summary>
    public const int AcquirerIdLength = 11;

    private const string NoForwardingInstitution = "00000000000";

    /// <summary>The 42 digits of this value; <see cref="AcquirerId"/> is zero-filled if shorter than 11.</summary>
    public string Format() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Mti:D4}{Stan:D6}{TransmissionDateTime}{AcquirerId.PadLeft(AcquirerIdLength, '0')}{NoForwardingInstitution}");

    /// <summary>Reads DE 90; false when it is not 42 digits.</summary>
    public static bool TryParse(ReadOnlySpan<byte> field, out OriginalDataElements original)
    {
        original = default;
        if (field.Length != Length || !Digits.TryRead(field[..4], out var mti) || !Digits.TryRead(field.Slice(4, 6), out var stan)
            || !Digits.TryRead(field.Slice(10, 10), out _) || !Digits.TryRead(field.Slice(20, 11), out _) || !Digits.TryRead(field.Slice(31, 11), out _))
        {
            return false;
        }

        original = new OriginalDataElements(
            (int)mti, (int)stan, Encoding.ASCII.GetString(field.Slice(10, 10)), Encoding.ASCII.GetString(field.Slice(20, AcquirerIdLength)));
        return true;
    }
}
