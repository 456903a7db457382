using System.Collections.Frozen;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// Which handler answers which request, built once at start. A route is an MTI class (a repeat such as 0201 shares
/// its original's class 0200) and, for financial classes, the transaction type: the first two digits of DE 3.
/// </summary>
internal sealed class RouteTable
{
    private readonly FrozenDictionary<int, IMessageHandler> _byMti;
    private readonly FrozenDictionary<int, IMessageHandler> _byMtiAndTransaction;
    private readonly FrozenSet<int> _classesRoutedByTransaction;

    private RouteTable(Dictionary<int, IMessageHandler> byMti, Dictionary<int, IMessageHandler> byMtiAndTransaction)
    {
        _byMti = byMti.ToFrozenDictionary();
        _byMtiAndTransaction = byMtiAndTransaction.ToFrozenDictionary();
        _classesRoutedByTransaction = byMtiAndTransaction.Keys.Select(key => key / 100).ToFrozenSet();
    }

    /// <summary>The MTI class of a request: the repeat bit (last digit 1) cleared, so 0201 routes like 0200.</summary>
    public static int ClassOf(int mti) => mti - (mti % 2);

    /// <summary>Finds the handler for <paramref name="request"/>.</summary>
    public RouteResult Find(IsoMessage request, out IMessageHandler? handler)
    {
        var mtiClass = ClassOf(request.Mti);
        if (_byMti.TryGetValue(mtiClass, out handler))
        {
            return RouteResult.Found;
        }

        if (!_classesRoutedByTransaction.Contains(mtiClass))
        {
            return RouteResult.UnknownMessage;
        }

        var processingCode = request.Get(3);
        if (processingCode.Length < 2)
        {
            return RouteResult.MissingProcessingCode;
        }

        var transactionType = ((processingCode[0] - '0') * 10) + (processingCode[1] - '0');
        return _byMtiAndTransaction.TryGetValue((mtiClass * 100) + transactionType, out handler)
            ? RouteResult.Found
            : RouteResult.UnknownProcessingCode;
    }

    /// <summary>Collects routes and freezes them into a table.</summary>
    public sealed class Builder
    {
        private readonly Dictionary<int, IMessageHandler> _byMti = [];
        private readonly Dictionary<int, IMessageHandler> _byMtiAndTransaction = [];

        /// <summary>Routes every request of MTI class <paramref name="mti"/> to <paramref name="handler"/>.</summary>
        public Builder Map(int mti, IMessageHandler handler)
        {
            _byMti.Add(ClassOf(mti), handler);
            return this;
        }

        /// <summary>Routes requests of MTI class <paramref name="mti"/> whose DE 3 starts with <paramref name="transactionType"/>.</summary>
        public Builder Map(int mti, int transactionType, IMessageHandler handler)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(transactionType, 99);
            _byMtiAndTransaction.Add((ClassOf(mti) * 100) + transactionType, handler);
            return this;
        }

        public RouteTable Build() => new(_byMti, _byMtiAndTransaction);
    }
}
