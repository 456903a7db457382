using Microsoft.Extensions.Logging;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Diagnostics;
using SocketAtm.Server.Ledger;
using SocketAtm.Server.Ledger.Model;
using SocketAtm.Server.Sessions;

namespace SocketAtm.Server.Handlers;

/// <summary>
/// Makes a terminal's pending keys current at their first use (PROTOCOL.md §11.3), durably and only if they are still
/// pending as stored, and journals the promotion as a security event with the keys' KCVs. Whichever host or request
/// promotes them journals it; the others find them current already.
/// </summary>
internal sealed class PendingKeyPromotion(ILedger ledger, TimeProvider time, ILogger<PendingKeyPromotion> logger) : IPendingKeyPromotion
{
    public async ValueTask<TerminalRecord> PromoteAsync(MessageContext context, TerminalRecord terminal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(terminal);
        var pending = terminal.PendingKeys ?? throw new ArgumentException($"Terminal {terminal.TerminalId} has no pending keys.", nameof(terminal));
        var promotion = await ledger.PromotePendingKeysAsync(terminal.TerminalId, pending.PinKey, pending.MacKey, cancellationToken);
        if (!promotion.Promoted)
        {
            return promotion.Terminal;
        }

        var pinKeyCheck = KeyCheckValue.ToHex(pending.PinKey);
        var macKeyCheck = KeyCheckValue.ToHex(pending.MacKey);
        var journaled = await ledger.ExecuteAsync(
            KeyEvents.Journal(context, promotion.Terminal, JournalDisposition.KeysPromoted, pinKeyCheck, macKeyCheck, time), cancellationToken);
        if (journaled.ResponseCode == ResponseCodes.Approved)
        {
            KeyLog.KeysPromoted(logger, terminal.TerminalId, pinKeyCheck, macKeyCheck);
        }
        else
        {
            // The keys are current (that is durable already, and the terminal uses them); the log keeps the record.
            KeyLog.PromotionNotJournaled(logger, terminal.TerminalId, journaled.ResponseCode, pinKeyCheck, macKeyCheck);
        }

        return promotion.Terminal;
    }
}
