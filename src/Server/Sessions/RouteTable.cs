using System.Collections.Frozen;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// Which handler answers which request, built once at start. A route is an MTI class (a repeat such as 0201 shares
/// its original's class 0200) and, for financial classes, the transaction type: the first two digits of DE 3.
/// The two levels are looked up separately because PROTOCOL.md checks the terminal, MAC and mandatory elements
/// between them. The table also names the handler that answers in place of a route's own when a request's MAC fails,
/// the step that makes pending keys current at their first use, and what counts the requests of unknown terminals as
/// security violations, so that every handler the dispatcher runs comes from here.
/// </summary>
internal sealed class RouteTable
{
    private readonly FrozenDictionary<int, MessageRoute> _byMti;

    private RouteTable(
        FrozenDictionary<int, MessageRoute> byMti, IMessageHandler macFailure, IPendingKeyPromotion keyPromotion, IViolationWatch violations, IMessageHandler unauthenticatedTerminal)
    {
        _byMti = byMti;
        MacFailure = macFailure;
        KeyPromotion = keyPromotion;
        Violations = violations;
        UnauthenticatedTerminal = unauthenticatedTerminal;
    }

    /// <summary>
    /// Answers a request of a MAC terminal (financial or network management) whose MAC is missing or wrong, in place of
    /// the handler its route would choose: such a request is never processed.
    /// </summary>
    public IMessageHandler MacFailure { get; }

    /// <summary>Makes a terminal's pending keys current when a request is the first made under them.</summary>
    public IPendingKeyPromotion KeyPromotion { get; }

    /// <summary>Counts requests of unknown or disabled terminals as security violations of their address.</summary>
    public IViolationWatch Violations { get; }

    /// <summary>
    /// Answers a financial request of a terminal without a MAC key over a connection that does not vouch for it
    /// (<see cref="TerminalAuthenticationGate"/>), in place of the handler its route would choose: it is never processed.
    /// </summary>
    public IMessageHandler UnauthenticatedTerminal { get; }

    /// <summary>The route for the request's MTI class, or null when the host does not handle the MTI.</summary>
    public MessageRoute? Find(int mti) => _byMti.GetValueOrDefault(MessageTypes.ClassOf(mti));

    /// <summary>Collects routes and freezes them into a table.</summary>
    public sealed class Builder
    {
        private readonly Dictionary<int, IMessageHandler> _byMti = [];
        private readonly Dictionary<int, Dictionary<int, IMessageHandler>> _byTransaction = [];
        private IMessageHandler? _macFailure;
        private IPendingKeyPromotion? _keyPromotion;
        private IViolationWatch? _violations;
        private IMessageHandler? _unauthenticatedTerminal;

        /// <summary>Routes every request of MTI class <paramref name="mti"/> to <paramref name="handler"/>.</summary>
        public Builder Map(int mti, IMessageHandler handler)
        {
            _byMti.Add(MessageTypes.ClassOf(mti), handler);
            return this;
        }

        /// <summary>Routes requests of MTI class <paramref name="mti"/> whose DE 3 starts with <paramref name="transactionType"/>.</summary>
        public Builder Map(int mti, int transactionType, IMessageHandler handler)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(transactionType, 99);
            if (!_byTransaction.TryGetValue(MessageTypes.ClassOf(mti), out var handlers))
            {
                _byTransaction[MessageTypes.ClassOf(mti)] = handlers = [];
            }

            handlers.Add(transactionType, handler);
            return this;
        }

        /// <summary>Answers financial requests whose MAC is missing or wrong with <paramref name="handler"/> (<see cref="MacFailure"/>).</summary>
        public Builder MapMacFailure(IMessageHandler handler)
        {
            _macFailure = handler;
            return this;
        }

        /// <summary>Makes pending keys current at their first use with <paramref name="promotion"/> (<see cref="KeyPromotion"/>).</summary>
        public Builder MapKeyPromotion(IPendingKeyPromotion promotion)
        {
            _keyPromotion = promotion;
            return this;
        }

        /// <summary>Counts requests of unknown terminals with <paramref name="violations"/> (<see cref="Violations"/>).</summary>
        public Builder MapViolations(IViolationWatch violations)
        {
            _violations = violations;
            return this;
        }

        /// <summary>Answers refused requests of terminals without a MAC key with <paramref name="handler"/> (<see cref="UnauthenticatedTerminal"/>).</summary>
        public Builder MapUnauthenticatedTerminal(IMessageHandler handler)
        {
            _unauthenticatedTerminal = handler;
            return this;
        }

        /// <exception cref="InvalidOperationException">
        /// No handler was given for MAC failures (<see cref="MapMacFailure"/>), key promotion (<see cref="MapKeyPromotion"/>)
        /// violations (<see cref="MapViolations"/>) or unauthenticated terminals (<see cref="MapUnauthenticatedTerminal"/>).
        /// </exception>
        public RouteTable Build()
        {
            var macFailure = _macFailure ?? throw new InvalidOperationException("A route table needs a handler for requests whose MAC fails (MapMacFailure).");
            var keyPromotion = _keyPromotion ?? throw new InvalidOperationException("A route table needs a promotion of pending keys (MapKeyPromotion).");
            var violations = _violations ?? throw new InvalidOperationException("A route table needs a watch of security violations (MapViolations).");
            var unauthenticated = _unauthenticatedTerminal
                ?? throw new InvalidOperationException("A route table needs a handler for terminals without a MAC key on connections that do not vouch for them (MapUnauthenticatedTerminal).");
            var routes = new Dictionary<int, MessageRoute>();
            foreach (var (mti, handler) in _byMti)
            {
                routes.Add(mti, new MessageRoute(handler, null));
            }

            foreach (var (mti, handlers) in _byTransaction)
            {
                var byType = handlers.ToFrozenDictionary();
                routes.Add(mti, new MessageRoute(byType.Values.First(), byType));
            }

            return new RouteTable(routes.ToFrozenDictionary(), macFailure, keyPromotion, violations, unauthenticated);
        }
    }
}
