using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace SocketAtm.Protocol.Iso8583;

/// <summary>
/// A reusable ISO 8583 message: an MTI plus data elements held as slices of one owned buffer.
/// Values are kept exactly as they travel (fixed fields padded, variable fields without their length prefix),
/// so parsing and re-encoding are copies, not conversions. Reuse an instance with <see cref="Clear"/>
/// to keep the hot path free of per-message allocations. Not thread-safe.
/// </summary>
public sealed class IsoMessage
{
    private const int InitialCapacity = 512;

    private readonly int[] _start = new int[FieldTable.MaxFieldNumber + 1];
    private readonly int[] _length = new int[FieldTable.MaxFieldNumber + 1];
    private byte[] _data = new byte[InitialCapacity];
    private int _used;
    private ulong _presentLow;   // bit (n-1) set when DE n (1..64) is present
    private ulong _presentHigh;  // bit (n-65) set when DE n (65..128) is present
    private int _mti = -1;

    // Length of the payload the parser read, while the message is exactly what was received; -1 once anything changed.
    private int _receivedLength = -1;

    /// <summary>Message type indicator as a number (0200 is 200); -1 when not set or unreadable.</summary>
    public int Mti
    {
        get => _mti;
        set
        {
            _mti = value;
            _receivedLength = -1;
        }
    }

    /// <summary>True when any of DE 65–128 is present, so the secondary bitmap is sent.</summary>
    public bool HasSecondaryBitmap => _presentHigh != 0;

    /// <summary>Number of data elements present.</summary>
    public int FieldCount => BitOperations.PopCount(_presentLow) + BitOperations.PopCount(_presentHigh);

    /// <summary>Removes the MTI and every field; the buffer is kept for reuse and its old contents wiped.</summary>
    public void Clear()
    {
        // Wipe what was used: the buffer may have held a PAN, track 2 or PIN block.
        _data.AsSpan(0, _used).Clear();
        _used = 0;
        _presentLow = 0;
        _presentHigh = 0;
        Mti = -1;
    }

    /// <summary>
    /// The bytes the message was parsed from, while it is unchanged since: what travelled, which need not be what the
    /// message re-encodes to (a sender may include a secondary bitmap with no bit set). False for a built or changed message.
    /// </summary>
    public bool TryGetReceivedBytes(out ReadOnlySpan<byte> received)
    {
        received = _receivedLength >= 0 ? _data.AsSpan(0, _receivedLength) : default;
        return _receivedLength >= 0;
    }

    /// <summary>Marks the loaded payload as the whole, unchanged message; used by the parser after a successful parse.</summary>
    internal void MarkReceivedAsParsed() => _receivedLength = _used;

    /// <summary>True when data element <paramref name="field"/> is present.</summary>
    public bool Has(int field) => field switch
    {
        >= 1 and <= 64 => (_presentLow & (1UL << (field - 1))) != 0,
        >= 65 and <= FieldTable.MaxFieldNumber => (_presentHigh & (1UL << (field - 65))) != 0,
        _ => false,
    };

    /// <summary>The field's value as it travels (fixed fields padded, no length prefix); empty when absent.</summary>
    public ReadOnlySpan<byte> Get(int field) =>
        Has(field) ? _data.AsSpan(_start[field], _length[field]) : [];

    /// <summary>The field's value as ASCII text, or null when absent. Allocates; not for the hot path.</summary>
    public string? GetString(int field) => Has(field) ? Encoding.ASCII.GetString(Get(field)) : null;

    /// <summary>Reads an all-digit field of at most 18 digits as a number.</summary>
    public bool TryGetNumber(int field, out long value)
    {
        value = 0;
        var digits = Get(field);
        if (digits.IsEmpty || digits.Length > 18)
        {
            return false;
        }

        foreach (var b in digits)
        {
            var d = b - (byte)'0';
            if ((uint)d > 9)
            {
                value = 0;
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }

    /// <summary>
    /// Sets a field from its value bytes. Fixed fields shorter than their length are padded as their type requires
    /// (n: leading zeros; an/ans: trailing spaces); binary fixed fields must be exact.
    /// </summary>
    /// <exception cref="ArgumentException">The field is not defined or the value does not fit its definition.</exception>
    public void Set(int field, ReadOnlySpan<byte> value)
    {
        ref readonly var definition = ref FieldTable.Get(field);
        if (!definition.IsDefined)
        {
            throw new ArgumentException($"DE {field} is not defined in the field table.", nameof(field));
        }

        if (value.Length > definition.MaxLength)
        {
            throw new ArgumentException($"DE {field}: length {value.Length} exceeds maximum {definition.MaxLength}.", nameof(value));
        }

        if (value.Overlaps(_data))
        {
            // The value lies in this message's own buffer, which Reserve wipes and replaces when it grows.
            Span<byte> copy = stackalloc byte[value.Length];
            value.CopyTo(copy);
            Set(field, copy);
            return;
        }

        var invalidAt = FieldValidation.IndexOfInvalid(definition.Type, value);
        if (invalidAt >= 0)
        {
            throw new ArgumentException($"DE {field}: {FieldValidation.Describe(definition.Type)} 0x{value[invalidAt]:X2} at index {invalidAt}.", nameof(value));
        }

        var size = definition.LengthType == LengthType.Fixed ? definition.MaxLength : value.Length;
        if (definition.LengthType == LengthType.Fixed && definition.Type == FieldType.Binary && value.Length != size)
        {
            throw new ArgumentException($"DE {field}: binary field needs exactly {size} bytes, got {value.Length}.", nameof(value));
        }

        var target = Reserve(field, size);
        if (size == value.Length)
        {
            value.CopyTo(target);
        }
        else if (definition.Type == FieldType.Numeric)
        {
            target[..(size - value.Length)].Fill((byte)'0');
            value.CopyTo(target[(size - value.Length)..]);
        }
        else
        {
            value.CopyTo(target);
            target[value.Length..].Fill((byte)' ');
        }
    }

    /// <summary>Sets a field from ASCII text, padding fixed fields as <see cref="Set(int, ReadOnlySpan{byte})"/> does.</summary>
    public void Set(int field, ReadOnlySpan<char> value)
    {
        // No field is longer than 999 bytes; longer text is refused by the length check below.
        Span<byte> bytes = stackalloc byte[Math.Min(value.Length, 1000)];
        if (value.Length > bytes.Length)
        {
            throw new ArgumentException($"DE {field}: length {value.Length} exceeds any field maximum.", nameof(value));
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] > 0x7F)
            {
                throw new ArgumentException($"DE {field}: non-ASCII character at index {i}.", nameof(value));
            }

            bytes[i] = (byte)value[i];
        }

        Set(field, bytes);
    }

    /// <summary>Sets a numeric field from a non-negative number, zero-padded to a fixed field's length.</summary>
    public void SetNumber(int field, long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        Span<byte> digits = stackalloc byte[20];
        if (!value.TryFormat(digits, out var written, provider: System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new ArgumentOutOfRangeException(nameof(value));
        }

        Set(field, digits[..written]);
    }

    /// <summary>Copies a field, if present, from another message.</summary>
    public void CopyFrom(IsoMessage source, int field)
    {
        ArgumentNullException.ThrowIfNull(source);

        // Copying onto itself is a no-op, and reading from a buffer that Reserve may wipe would lose the value.
        if (!ReferenceEquals(source, this) && source.Has(field))
        {
            var value = source.Get(field);
            value.CopyTo(Reserve(field, value.Length));
        }
    }

    /// <summary>Removes a field if present.</summary>
    public void Remove(int field)
    {
        _receivedLength = -1;
        if (field is >= 1 and <= 64)
        {
            _presentLow &= ~(1UL << (field - 1));
        }
        else if (field is >= 65 and <= FieldTable.MaxFieldNumber)
        {
            _presentHigh &= ~(1UL << (field - 65));
        }
    }

    /// <summary>The numbers of the present data elements, ascending (no bitmap bit 1).</summary>
    public FieldEnumerator Fields => new(_presentLow, _presentHigh);

    internal ulong PresentLow => _presentLow;

    internal ulong PresentHigh => _presentHigh;

    /// <summary>Replaces the buffer content with <paramref name="payload"/> and forgets all fields; used by the parser.</summary>
    internal Span<byte> LoadForParse(in ReadOnlySequence<byte> payload)
    {
        var length = checked((int)payload.Length);
        ClearForLoad(length);
        if (payload.IsSingleSegment)
        {
            // The usual case; FirstSpan is cheaper than the general copy's walk over segments.
            payload.FirstSpan.CopyTo(_data);
        }
        else
        {
            payload.CopyTo(_data);
        }

        _used = length;
        return _data.AsSpan(0, length);
    }

    /// <inheritdoc cref="LoadForParse(in ReadOnlySequence{byte})"/>
    internal Span<byte> LoadForParse(ReadOnlySpan<byte> payload)
    {
        ClearForLoad(payload.Length);
        payload.CopyTo(_data);
        _used = payload.Length;
        return _data.AsSpan(0, payload.Length);
    }

    /// <summary>Forgets the fields marked so far and keeps the loaded payload; used by the parser before its careful walk.</summary>
    internal void ForgetFields()
    {
        _presentLow = 0;
        _presentHigh = 0;
    }

    /// <summary>
    /// Records where a field lies in the loaded payload without marking it present; the parser's fast walk marks the
    /// present fields at once with <see cref="MarkPresent(ulong, ulong)"/> when the whole message is good.
    /// </summary>
    /// <param name="field">1–128: the caller's bitmap position plus 1 or 65, so the unchecked writes stay inside the
    /// tables, which have a row for every number 0–128.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SetParsedSlice(int field, int start, int length)
    {
        Debug.Assert(field is >= 1 and <= FieldTable.MaxFieldNumber);
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_start), field) = start;
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_length), field) = length;
    }

    /// <summary>Marks fields present: bit (n-1) of <paramref name="low"/> for DE n of 1–64, bit (n-65) of <paramref name="high"/> for 65–128.</summary>
    internal void MarkPresent(ulong low, ulong high)
    {
        _presentLow |= low;
        _presentHigh |= high;
    }

    /// <summary>Records a field that lies in the loaded payload; used by the parser.</summary>
    internal void MarkParsed(int field, int start, int length)
    {
        _start[field] = start;
        _length[field] = length;
        MarkPresent(field);
    }

    /// <summary>
    /// <see cref="Clear"/> for a payload of <paramref name="length"/> bytes about to be copied in: the copy overwrites
    /// the first bytes, so only the old bytes past it are wiped (all of them when the buffer is about to be replaced).
    /// </summary>
    private void ClearForLoad(int length)
    {
        var overwritten = length <= _data.Length ? Math.Min(length, _used) : 0;
        _data.AsSpan(overwritten, _used - overwritten).Clear();
        _used = 0;
        _presentLow = 0;
        _presentHigh = 0;
        Mti = -1;
        EnsureCapacity(length);
    }

    private Span<byte> Reserve(int field, int size)
    {
        _receivedLength = -1;
        EnsureCapacity(_used + size);
        _start[field] = _used;
        _length[field] = size;
        _used += size;
        MarkPresent(field);
        return _data.AsSpan(_start[field], size);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MarkPresent(int field)
    {
        if (field <= 64)
        {
            _presentLow |= 1UL << (field - 1);
        }
        else
        {
            _presentHigh |= 1UL << (field - 65);
        }
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _data.Length)
        {
            return;
        }

        var grown = new byte[Math.Max(needed, _data.Length * 2)];
        _data.AsSpan(0, _used).CopyTo(grown);
        _data.AsSpan(0, _used).Clear();
        _data = grown;
    }

    /// <summary>Enumerates present field numbers in ascending order without allocating.</summary>
    public struct FieldEnumerator
    {
        private ulong _low;
        private ulong _high;

        internal FieldEnumerator(ulong low, ulong high)
        {
            _low = low;
            _high = high;
            Current = 0;
        }

        /// <summary>The current field number.</summary>
        public int Current { get; private set; }

        /// <summary>Returns this enumerator, so the struct can be used in <c>foreach</c>.</summary>
        public readonly FieldEnumerator GetEnumerator() => this;

        /// <summary>Advances to the next present field.</summary>
        public bool MoveNext()
        {
            if (_low != 0)
            {
                var bit = BitOperations.TrailingZeroCount(_low);
                _low &= _low - 1;
                Current = bit + 1;
                return true;
            }

            if (_high != 0)
            {
                var bit = BitOperations.TrailingZeroCount(_high);
                _high &= _high - 1;
                Current = bit + 65;
                return true;
            }

            return false;
        }
    }
}
