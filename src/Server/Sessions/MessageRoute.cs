using System.Collections.Frozen;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Server.Sessions;

/// <summary>
/// Where one MTI class goes. Financial classes route on by transaction type; all their handlers share the sign-on
/// and MAC rules, so <see cref="Representative"/> answers those questions before DE 3 is looked at.
/// </summary>
internal sealed class MessageRoute
{
    private readonly FrozenDictionary<int, IMessageHandler>? _byTransaction;

    public MessageRoute(IMessageHandler representative, FrozenDictionary<int, IMessageHandler>? byTransaction)
    {
        Representative = representative;
        _byTransaction = byTransaction;
        var handlers = byTransaction?.Values ?? [representative];
        CommonMandatoryFields = handlers
            .Select(handler => handler.MandatoryFields.ToArray())
            .Aggregate((common, next) => common.Intersect(next).ToArray());
        EchoedFields = handlers
            .SelectMany(handler => handler.EchoedFields.ToArray())
            .Distinct()
            .Order()
            .ToArray();
    }

    /// <summary>The handler, or for financial classes any of them (they agree on sign-on and MAC rules).</summary>
    public IMessageHandler Representative { get; }

    /// <summary>Elements every handler of this class needs (DE 3 among them), checked before the processing code is.</summary>
    public int[] CommonMandatoryFields { get; }

    /// <summary>Elements any response of this class echoes, known before the processing code picks the handler.</summary>
    public int[] EchoedFields { get; }

    /// <summary>
    /// The handler for this request: by DE 3 for financial classes, whose processing code must be a known transaction
    /// type with positions 5–6 = 00; null when it is not.
    /// </summary>
    public IMessageHandler? Resolve(IsoMessage request)
    {
        if (_byTransaction is null)
        {
            return Representative;
        }

        return ProcessingCodes.TryReadTransactionType(request.Get(DataElements.ProcessingCode), out var transactionType)
            ? _byTransaction.GetValueOrDefault(transactionType)
            : null;
    }
}
