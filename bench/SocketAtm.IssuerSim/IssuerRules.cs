using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SocketAtm.IssuerSim.Book;
using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Masking;
using SocketAtm.Protocol.Security;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.IssuerSim;

/// <summary>
/// The issuer's decisions on 0100/0200 and 0420/0421 (stand-in advices are <see cref="StandInAdviceRules"/>'s), in the
/// order PROTOCOL.md §6.3 checks a card (card on file 14, status 62, expiry 54, PIN 55/75, account 53/39, amount and
/// currency 13, funds 51), each booked durably under (DE 32, DE 37) before the answer is built. A duplicate original
/// (same DE 32, 41, 11, 7), or one whose RRN an advice already stood for, is answered 94 and applies nothing; a reversal
/// is applied once (to an original's approval or to a booked advice) and every later one for the same RRN gets the first
/// one's answer; a reversal that comes before its original is accepted (00) and the late original is declined 94.
/// </summary>
internal sealed class IssuerRules
{
    /// <summary>The third consecutive wrong PIN blocks the card (75), as the host does for its own cards.</summary>
    public const int PinTryLimit = 3;

    private const int CheckingAccount = 20;

    private readonly IssuerBook _book;
    private readonly byte[] _zonePinKey;
    private readonly TimeProvider _time;

    public IssuerRules(IssuerBook book, byte[] zonePinKey, TimeProvider time)
    {
        _book = book;
        _zonePinKey = zonePinKey;
        _time = time;
    }

    /// <summary>Decides an 0100/0200, books it, and writes DE 39 (and DE 38, DE 54) into <paramref name="answer"/>.</summary>
    /// <returns>What was decided, for the log.</returns>
    public string Authorize(IsoMessage request, IsoMessage answer)
    {
        var pan = CardFields.Pan(request);
        if (pan.IsEmpty || !Has(request, DataElements.ProcessingCode, DataElements.TransmissionDateTime, DataElements.Stan, DataElements.AcquirerId, DataElements.RetrievalReference, DataElements.TerminalId, DataElements.PinBlock))
        {
            return Answer(answer, ResponseCodes.FormatError);
        }

        if (!ProcessingCodes.TryReadTransactionType(request.Get(DataElements.ProcessingCode), out var type)
            || !ProcessingCodes.TryReadFromAccount(request.Get(DataElements.ProcessingCode), out var account)
            || !IsAllowed(MessageTypes.ClassOf(request.Mti), type))
        {
            return Answer(answer, ResponseCodes.InvalidTransaction);
        }

        var withdrawal = type == TransactionTypes.CashWithdrawal;
        if (withdrawal && !request.TryGetNumber(DataElements.Amount, out _))
        {
            return Answer(answer, ResponseCodes.FormatError);
        }

        request.TryGetNumber(DataElements.Amount, out var amount);
        request.TryGetNumber(DataElements.Currency, out var currency);
        var acquirer = request.GetString(DataElements.AcquirerId)!;
        var rrn = request.GetString(DataElements.RetrievalReference)!;
        var requestKey = RequestKeyOf(request);
        var panText = Encoding.ASCII.GetString(pan);
        var maskedPan = SensitiveData.MaskPan(pan);
        Span<byte> pin = stackalloc byte[PinBlock.MaxPinLength];
        var pinVerified = PinBlock.TryDecrypt(_zonePinKey, request.Get(DataElements.PinBlock), pan, pin, out var pinLength);
        var pinDigest = pinVerified ? PinDigest.Of(pan, pin[..pinLength]) : null;
        CryptographicOperations.ZeroMemory(pin);
        var now = _time.GetUtcNow().UtcDateTime;

        var decision = _book.Transact(book =>
        {
            if (book.HasRequest(requestKey))
            {
                return new Decision(ResponseCodes.DuplicateTransmission);
            }

            var entry = book.FindEntry(acquirer, rrn);
            if (entry is not null && entry.IsDecided)
            {
                // The RRN names another original already decided (or stood in for): a duplicate, which must not overwrite its entry.
                return new Decision(ResponseCodes.DuplicateTransmission);
            }

            entry ??= new BookEntry { Id = BookEntry.KeyOf(acquirer, rrn), AcquirerId = acquirer, Rrn = rrn, Amount = amount, TransactionType = type };
            entry.RequestKey = requestKey;
            entry.MaskedPan = maskedPan;
            entry.CardId = panText;
            entry.Sequence = book.NextSequence();
            entry.ChangedAt = now;
            if (entry.ReversalResponse is not null)
            {
                // Its reversal came first: the original is declined and moves nothing.
                entry.Response = ResponseCodes.DuplicateTransmission;
                book.Save(entry);
                return new Decision(entry.Response);
            }

            entry.TransactionType = type;
            entry.Amount = amount;
            var card = book.FindCard(panText);
            var decided = Decide(card, request, pinDigest, account, withdrawal, amount, currency, now);
            entry.Response = decided.ResponseCode;
            if (decided.ResponseCode == ResponseCodes.Approved)
            {
                entry.AuthorizationId = (entry.Sequence % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
                if (withdrawal)
                {
                    card!.Balance -= amount;
                    entry.Debited = amount;
                }
            }

            if (card is not null)
            {
                book.Save(card);
            }

            book.Save(entry);
            return decided with { AuthorizationId = entry.AuthorizationId, Balance = decided.ShowsBalance ? card!.Balance : null };
        });

        if (decision.AuthorizationId is not null)
        {
            answer.Set(DataElements.AuthorizationId, decision.AuthorizationId);
        }

        if (decision.Balance is { } balance)
        {
            Span<char> balances = stackalloc char[AdditionalAmounts.BalancesLength];
            AdditionalAmounts.WriteBalances(balances, CheckingAccount, IssuerDemoData.Currency, balance, balance);
            answer.Set(DataElements.AdditionalAmounts, balances);
        }

        return Answer(answer, decision.ResponseCode);
    }

    /// <summary>Decides an 0420/0421 for the RRN it names, books it, and writes DE 39 into <paramref name="answer"/>.</summary>
    public string Reverse(IsoMessage request, IsoMessage answer)
    {
        var pan = CardFields.Pan(request);
        if (!Has(request, DataElements.Amount, DataElements.TransmissionDateTime, DataElements.Stan, DataElements.AcquirerId, DataElements.RetrievalReference, DataElements.TerminalId)
            || !request.TryGetNumber(DataElements.Amount, out var amount))
        {
            return Answer(answer, ResponseCodes.FormatError);
        }

        long? dispensed = null;
        if (request.Has(DataElements.ReplacementAmounts))
        {
            if (!ReplacementAmounts.TryReadActualAmount(request.Get(DataElements.ReplacementAmounts), out var actual) || actual > amount)
            {
                return Answer(answer, ResponseCodes.InvalidAmount);
            }

            dispensed = actual;
        }

        ProcessingCodes.TryReadTransactionType(request.Get(DataElements.ProcessingCode), out var type);
        var acquirer = request.GetString(DataElements.AcquirerId)!;
        var rrn = request.GetString(DataElements.RetrievalReference)!;
        var panText = pan.IsEmpty ? null : Encoding.ASCII.GetString(pan);
        var maskedPan = pan.IsEmpty ? string.Empty : SensitiveData.MaskPan(pan);
        var now = _time.GetUtcNow().UtcDateTime;

        var code = _book.Transact(book =>
        {
            var entry = book.FindEntry(acquirer, rrn);
            if (entry?.ReversalResponse is { } first)
            {
                return first;
            }

            if (entry is null)
            {
                // The original never came (or is still on its way): the reversal is recorded, and that original will be declined.
                book.Save(new BookEntry
                {
                    Id = BookEntry.KeyOf(acquirer, rrn), AcquirerId = acquirer, Rrn = rrn, MaskedPan = maskedPan, CardId = panText ?? string.Empty,
                    TransactionType = type, Amount = amount, Dispensed = dispensed, ReversalResponse = ResponseCodes.Approved,
                    Sequence = book.NextSequence(), ChangedAt = now,
                });
                return ResponseCodes.Approved;
            }

            if (panText is not null && entry.CardId.Length > 0 && panText != entry.CardId)
            {
                return ResponseCodes.UnableToLocateOriginal;
            }

            if (entry.IsDecided && amount != entry.Amount)
            {
                return ResponseCodes.OriginalAmountIncorrect;
            }

            var restore = entry.Debited - Math.Min(dispensed ?? 0, entry.Debited);
            if (restore > 0)
            {
                // A stand-in advice is booked even for a card the issuer does not know: its reversal then moves the entry alone.
                var card = book.FindCard(entry.CardId);
                if (card is null && entry.AdviceResponse is null)
                {
                    return ResponseCodes.UnableToLocateOriginal;
                }

                if (card is not null)
                {
                    card.Balance += restore;
                    book.Save(card);
                }
            }

            entry.Restored = restore;
            entry.Dispensed = dispensed;
            entry.ReversalResponse = ResponseCodes.Approved;
            entry.ChangedAt = now;
            book.Save(entry);
            return ResponseCodes.Approved;
        });

        return Answer(answer, code);
    }

    /// <summary>The (DE 32, DE 41, DE 11, DE 7) a duplicate original shares.</summary>
    internal static string RequestKeyOf(IsoMessage request) =>
        $"{request.GetString(DataElements.AcquirerId)}|{request.GetString(DataElements.TerminalId)}|{request.GetString(DataElements.Stan)}|{request.GetString(DataElements.TransmissionDateTime)}";

    private static Decision Decide(CardRecord? card, IsoMessage request, string? pinDigest, int account, bool withdrawal, long amount, long currency, DateTime now)
    {
        if (CardDecisions.Standing(card, request, now) is { } standing)
        {
            return new Decision(standing);
        }

        if (pinDigest is null || !PinDigest.Matches(card!.PinHash, pinDigest))
        {
            card!.WrongPinTries++;
            return new Decision(card.WrongPinTries >= PinTryLimit ? ResponseCodes.PinTriesExceeded : ResponseCodes.IncorrectPin);
        }

        card.WrongPinTries = 0;
        if (CardDecisions.Account(account) is { } wrongAccount)
        {
            return new Decision(wrongAccount);
        }

        if (!withdrawal)
        {
            return new Decision(ResponseCodes.Approved, ShowsBalance: true);
        }

        var funds = CardDecisions.Funds(card, amount, currency, card.Balance);
        return new Decision(funds, ShowsBalance: funds != ResponseCodes.InvalidAmount);
    }

    private static bool IsAllowed(int mtiClass, int type) => type switch
    {
        TransactionTypes.CashWithdrawal => mtiClass == MessageTypes.FinancialRequest,
        TransactionTypes.BalanceInquiry or TransactionTypes.BalanceInquiryAlternate => true,
        _ => false,
    };

    /// <summary>Whether <paramref name="message"/> carries every one of <paramref name="fields"/>.</summary>
    internal static bool Has(IsoMessage message, params ReadOnlySpan<int> fields)
    {
        foreach (var field in fields)
        {
            if (!message.Has(field))
            {
                return false;
            }
        }

        return true;
    }

    private static string Answer(IsoMessage answer, string responseCode)
    {
        answer.Set(DataElements.ResponseCode, responseCode);
        return responseCode;
    }

    private readonly record struct Decision(string ResponseCode, bool ShowsBalance = false, string? AuthorizationId = null, long? Balance = null);
}
