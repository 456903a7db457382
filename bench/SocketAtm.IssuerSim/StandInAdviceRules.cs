using System.Text;
using SocketAtm.IssuerSim.Book;
using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Masking;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim;

/// <summary>
/// The issuer's side of a stand-in advice (0220, repeated as 0221): a withdrawal the acquirer approved on the issuer's
/// behalf while the link was down (PROTOCOL.md §15.18). The terminal has dispensed, so the advice is a forced post: an
/// advice the simulator accepts is booked as a withdrawal of DE 4 whatever its rules say, the balance going negative if
/// need be, and its DE 39 only says what those rules would have answered (00, or their decline code). Booked once per
/// (DE 32, DE 37): every later advice for the RRN gets the first answer. One it refuses (30 malformed, 12 not a
/// withdrawal, 25 another card, 64 another amount than its RRN's original) books nothing.
/// </summary>
internal sealed class StandInAdviceRules
{
    private readonly IssuerBook _book;
    private readonly TimeProvider _time;

    public StandInAdviceRules(IssuerBook book, TimeProvider time)
    {
        _book = book;
        _time = time;
    }

    /// <summary>Books an 0220/0221 (or refuses it) and writes DE 39 into <paramref name="answer"/>.</summary>
    /// <returns>The 0230's DE 39, for the log.</returns>
    public string Book(IsoMessage request, IsoMessage answer)
    {
        if (!IsWellFormed(request, out var amount))
        {
            return Answer(answer, ResponseCodes.FormatError);
        }

        if (!ProcessingCodes.TryReadTransactionType(request.Get(DataElements.ProcessingCode), out var type)
            || type != TransactionTypes.CashWithdrawal
            || !ProcessingCodes.TryReadFromAccount(request.Get(DataElements.ProcessingCode), out var account)
            || !CardDecisions.IsAccountType(account))
        {
            return Answer(answer, ResponseCodes.InvalidTransaction);
        }

        request.TryGetNumber(DataElements.Currency, out var currency);
        var pan = request.Get(DataElements.PrimaryAccountNumber);
        var panText = Encoding.ASCII.GetString(pan);
        var maskedPan = SensitiveData.MaskPan(pan);
        var acquirer = request.GetString(DataElements.AcquirerId)!;
        var rrn = request.GetString(DataElements.RetrievalReference)!;
        var authorizationId = request.GetString(DataElements.AuthorizationId);
        var now = _time.GetUtcNow().UtcDateTime;

        var code = _book.Transact(book =>
        {
            var entry = book.FindEntry(acquirer, rrn);
            if (entry?.AdviceResponse is { } first)
            {
                return first;
            }

            if (entry is not null && Conflict(entry, panText, amount) is { } conflict)
            {
                return conflict;
            }

            entry ??= new BookEntry
            {
                Id = BookEntry.KeyOf(acquirer, rrn), AcquirerId = acquirer, Rrn = rrn, TransactionType = type, Amount = amount, Sequence = book.NextSequence(),
            };
            // An original the issuer approved itself is this very withdrawal: it would (and did) approve it.
            var card = book.FindCard(panText);
            var wouldHave = entry.Response == ResponseCodes.Approved
                ? ResponseCodes.Approved
                : CardDecisions.Standing(card, request, now) ?? CardDecisions.Account(account) ?? CardDecisions.Funds(card!, amount, currency, card!.Balance);

            // The money is gone: the RRN moves DE 4, less what a reversal of it (come first) says was not dispensed.
            var target = entry.ReversalResponse is null ? amount : Math.Min(entry.Dispensed ?? 0, amount);
            var more = target - entry.Net;
            if (card is not null)
            {
                card.Balance -= more;
                book.Save(card);
            }

            entry.CardId = panText;
            entry.MaskedPan = maskedPan;
            entry.Debited = amount;
            entry.Restored = amount - target;
            entry.AdviceResponse = wouldHave;
            entry.AdviceAuthorizationId = authorizationId;
            entry.ChangedAt = now;
            book.Save(entry);
            return wouldHave;
        });

        return Answer(answer, code);
    }

    /// <summary>
    /// What the contract asks of an advice: its PAN, DE 3, DE 4, its own DE 7 and DE 11, DE 32, DE 37, the stand-in DE 38,
    /// DE 39 = 00 (what the terminal was told), DE 41, and DE 90 naming an 0200; and neither a PIN block nor track 2.
    /// </summary>
    private static bool IsWellFormed(IsoMessage request, out long amount)
    {
        amount = 0;
        return IssuerRules.Has(
                request, DataElements.PrimaryAccountNumber, DataElements.ProcessingCode, DataElements.TransmissionDateTime, DataElements.Stan, DataElements.AcquirerId,
                DataElements.RetrievalReference, DataElements.AuthorizationId, DataElements.ResponseCode, DataElements.TerminalId, DataElements.OriginalDataElements)
            && !request.Has(DataElements.PinBlock)
            && !request.Has(DataElements.Track2)
            && request.TryGetNumber(DataElements.Amount, out amount)
            && request.GetString(DataElements.ResponseCode) == ResponseCodes.Approved
            && OriginalDataElements.TryParse(request.Get(DataElements.OriginalDataElements), out var original)
            && original.Mti == MessageTypes.FinancialRequest;
    }

    /// <summary>Why an advice cannot stand for what the RRN already holds (refused, nothing booked), or null.</summary>
    private static string? Conflict(BookEntry entry, string pan, long amount)
    {
        if (entry.CardId.Length > 0 && entry.CardId != pan)
        {
            return ResponseCodes.UnableToLocateOriginal;
        }

        if (entry.Response is not null && entry.TransactionType != TransactionTypes.CashWithdrawal)
        {
            return ResponseCodes.InvalidTransaction;
        }

        return entry.Amount != amount ? ResponseCodes.OriginalAmountIncorrect : null;
    }

    private static string Answer(IsoMessage answer, string responseCode)
    {
        answer.Set(DataElements.ResponseCode, responseCode);
        return responseCode;
    }
}
