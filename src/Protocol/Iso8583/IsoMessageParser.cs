using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SocketAtm.Protocol.Iso8583;

/// <summary>
/// Parses one message (the payload of one frame) into a reusable <see cref="IsoMessage"/>.
/// Synchronous and pure: no I/O, no logging, and malformed input is a <see cref="ParseError"/>, never an exception.
/// </summary>
public static class IsoMessageParser
{
    private const int MtiLength = 4;
    private const int BitmapLength = 8;

    /// <summary>
    /// Parses <paramref name="payload"/> into <paramref name="message"/>. On failure the message keeps what was readable
    /// (the MTI, the elements before the faulty one, and after it too when only its content was bad: its length is
    /// known), so a format-error response can echo DE 11 and DE 41.
    /// </summary>
    public static bool TryParse(in ReadOnlySequence<byte> payload, IsoMessage message, out ParseError error)
    {
        ArgumentNullException.ThrowIfNull(message);
        var data = message.LoadForParse(payload);
        error = Parse(data, message);
        return error.IsNone;
    }

    /// <summary>Parses a message held in one contiguous span.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, IsoMessage message, out ParseError error)
    {
        ArgumentNullException.ThrowIfNull(message);
        var data = message.LoadForParse(payload);
        error = Parse(data, message);
        return error.IsNone;
    }

    /// <summary>
    /// <see cref="TryParse(ReadOnlySpan{byte}, IsoMessage, out ParseError)"/> without the fast walk: the tests hold the
    /// two walks to the same answers.
    /// </summary>
    internal static ParseError ParseCarefully(ReadOnlySpan<byte> payload, IsoMessage message) =>
        Parse(message.LoadForParse(payload), message, tryFastWalk: false);

    private static ParseError Parse(ReadOnlySpan<byte> data, IsoMessage message, bool tryFastWalk = true)
    {
        if (data.Length < MtiLength)
        {
            return new ParseError(ParseErrorKind.TruncatedMti, 0, data.Length);
        }

        var mti = 0;
        for (var i = 0; i < MtiLength; i++)
        {
            var digit = data[i] - (byte)'0';
            if ((uint)digit > 9)
            {
                return new ParseError(ParseErrorKind.InvalidMti, 0, i, Byte: data[i]);
            }

            mti = (mti * 10) + digit;
        }

        message.Mti = mti;
        var offset = MtiLength;
        if (data.Length < offset + BitmapLength)
        {
            return new ParseError(ParseErrorKind.TruncatedBitmap, 0, data.Length);
        }

        var primary = BinaryPrimitives.ReadUInt64BigEndian(data.Slice(offset, BitmapLength));
        offset += BitmapLength;
        ulong secondary = 0;
        if ((primary & (1UL << 63)) != 0)
        {
            if (data.Length < offset + BitmapLength)
            {
                return new ParseError(ParseErrorKind.TruncatedBitmap, 1, data.Length);
            }

            secondary = BinaryPrimitives.ReadUInt64BigEndian(data.Slice(offset, BitmapLength));
            offset += BitmapLength;
        }

        // A well-formed message takes the fast walk, which only tells whether everything is valid. Anything else is
        // walked again by the careful one below, which finds the first error and keeps what is readable.
        if (tryFastWalk && TryParseWellFormedFields(data, offset, primary & ~(1UL << 63), secondary, message))
        {
            message.MarkReceivedAsParsed();
            return default;
        }

        message.ForgetFields();

        // Only the set bits, most significant first (= ascending field numbers): a message carries a dozen fields of 128.
        ParseError badContent = default;
        var fieldError = ParseFields(data, ref offset, primary & ~(1UL << 63), firstField: 1, message, ref badContent);
        if (fieldError.IsNone)
        {
            fieldError = ParseFields(data, ref offset, secondary, firstField: 65, message, ref badContent);
        }

        // The first error in the message is the one reported: a bad byte inside an element comes before anything
        // found after it.
        if (!badContent.IsNone)
        {
            return badContent;
        }

        if (!fieldError.IsNone)
        {
            return fieldError;
        }

        if (offset != data.Length)
        {
            return new ParseError(ParseErrorKind.TrailingBytes, 0, offset, Declared: data.Length - offset);
        }

        message.MarkReceivedAsParsed();
        return default;
    }

    /// <summary>
    /// The fast walk over the elements the bitmaps announce: true when every element is defined, complete and valid
    /// and nothing follows the last one; the elements are then marked in <paramref name="message"/>. It gives up at the
    /// first problem without saying which: the careful walk (<see cref="ParseFields"/>) then reports it. Both accept
    /// exactly the same messages; no error value is built or copied here, which keeps the loop in registers.
    /// </summary>
    private static bool TryParseWellFormedFields(ReadOnlySpan<byte> data, int offset, ulong primary, ulong secondary, IsoMessage message)
    {
        // Indexed without bounds checks: field is firstField (1 or 65) plus a bit position 0–63, so 1–128, and the
        // layout table has a row for every number 0–128 (FieldTable.MaxFieldNumber).
        ref var layouts = ref MemoryMarshal.GetArrayDataReference(FieldTable.Layouts);
        var bits = primary;
        var firstField = 1;
        ulong presentLow = 0;
        while (true)
        {
            // Bit (field - firstField) set for each element read, as IsoMessage keeps presence.
            ulong present = 0;
            while (bits != 0)
            {
                var position = BitOperations.LeadingZeroCount(bits);
                bits ^= (1UL << 63) >> position;
                var field = firstField + position;
                var layout = Unsafe.Add(ref layouts, field);
                if (layout.MaxLength == 0)
                {
                    return false;
                }

                int length = layout.MaxLength;
                if (layout.PrefixDigits != 0)
                {
                    if (!TryReadLengthPrefix(data, offset, layout.PrefixDigits, out length) || length > layout.MaxLength)
                    {
                        return false;
                    }

                    offset += layout.PrefixDigits;
                }

                if (data.Length - offset < length || !FieldValidation.IsValid(layout.Type, data.Slice(offset, length)))
                {
                    return false;
                }

                message.SetParsedSlice(field, offset, length);
                present |= 1UL << position;
                offset += length;
            }

            if (firstField != 1 || secondary == 0)
            {
                if (offset != data.Length)
                {
                    return false;
                }

                // Fields are present only when all of the message is good; the careful walk starts from none.
                message.MarkPresent(firstField == 1 ? present : presentLow, firstField == 1 ? 0 : present);
                return true;
            }

            presentLow = present;
            bits = secondary;
            firstField = 65;
        }
    }

    /// <summary>The 2 or 3 ASCII digits at <paramref name="offset"/> as a number; false when they are cut off or not all digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadLengthPrefix(ReadOnlySpan<byte> data, int offset, int digits, out int length)
    {
        length = 0;
        if (data.Length - offset < digits)
        {
            return false;
        }

        // All digits checked with one test: a byte below '0' wraps to a large unsigned value.
        var prefix = data.Slice(offset, digits);
        var tens = (uint)(prefix[digits - 2] - '0');
        var units = (uint)(prefix[digits - 1] - '0');
        var hundreds = digits == 3 ? (uint)(prefix[0] - '0') : 0;
        if ((tens | units | hundreds) > 9)
        {
            return false;
        }

        length = (int)((hundreds * 100) + (tens * 10) + units);
        return true;
    }

    /// <param name="bits">One bitmap; its most significant bit stands for <paramref name="firstField"/>.</param>
    /// <param name="badContent">
    /// The first element that is bad but whose extent is known (a byte its type does not allow, a declared length over
    /// its maximum): parsing goes on past it, so the elements after it (DE 11, DE 41) can still be echoed in the
    /// format-error answer; the element itself is left out.
    /// </param>
    private static ParseError ParseFields(ReadOnlySpan<byte> data, ref int offset, ulong bits, int firstField, IsoMessage message, ref ParseError badContent)
    {
        while (bits != 0)
        {
            var position = BitOperations.LeadingZeroCount(bits);
            bits &= ~(1UL << (63 - position));
            var field = firstField + position;

            // An undefined field's length is unknowable, so nothing after it can be read; the fields before it
            // (DE 11, DE 41) are kept so the format-error answer can echo them.
            if (!FieldTable.Get(field).IsDefined)
            {
                return new ParseError(ParseErrorKind.UndefinedField, field, offset);
            }

            var fieldError = ParseField(data, ref offset, field, message, out var skipped);
            if (skipped)
            {
                if (badContent.IsNone)
                {
                    badContent = fieldError;
                }
            }
            else if (!fieldError.IsNone)
            {
                return fieldError;
            }
        }

        return default;
    }

    /// <param name="skipped">True when the element was bad but its extent is known and inside the message: <paramref name="offset"/> is past it.</param>
    private static ParseError ParseField(ReadOnlySpan<byte> data, ref int offset, int field, IsoMessage message, out bool skipped)
    {
        skipped = false;
        ref readonly var definition = ref FieldTable.Get(field);
        int length;
        if (definition.LengthType == LengthType.Fixed)
        {
            length = definition.MaxLength;
        }
        else
        {
            var prefix = definition.PrefixDigits;
            if (data.Length < offset + prefix)
            {
                return new ParseError(ParseErrorKind.TruncatedField, field, data.Length);
            }

            length = 0;
            for (var i = 0; i < prefix; i++)
            {
                var digit = data[offset + i] - (byte)'0';
                if ((uint)digit > 9)
                {
                    return new ParseError(ParseErrorKind.InvalidLengthPrefix, field, offset + i, Byte: data[offset + i]);
                }

                length = (length * 10) + digit;
            }

            if (length > definition.MaxLength)
            {
                var error = new ParseError(ParseErrorKind.LengthExceedsMaximum, field, offset, Declared: length, Limit: definition.MaxLength);
                if (data.Length >= offset + prefix + length)
                {
                    offset += prefix + length;
                    skipped = true;
                }

                return error;
            }

            offset += prefix;
        }

        if (data.Length < offset + length)
        {
            return new ParseError(ParseErrorKind.TruncatedField, field, data.Length);
        }

        var value = data.Slice(offset, length);
        var invalid = FieldValidation.IndexOfInvalid(definition.Type, value);
        if (invalid >= 0)
        {
            var error = new ParseError(ParseErrorKind.InvalidCharacter, field, offset + invalid, Byte: value[invalid]);
            offset += length;
            skipped = true;
            return error;
        }

        message.MarkParsed(field, offset, length);
        offset += length;
        return default;
    }
}
