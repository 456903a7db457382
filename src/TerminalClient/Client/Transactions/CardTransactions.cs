using SocketAtm.Client.Diagnostics;
using SocketAtm.Client.Exchange;
using SocketAtm.Client.Link;
using SocketAtm.Client.Messages;
using SocketAtm.Client.Reversals;
using SocketAtm.Client.Security;
using SocketAtm.Client.SignOn;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Masking;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Client.Transactions;

/// <summary>
/// One terminal's card requests: balance inquiries (0100) and withdrawals (0200), each sent only while the terminal is
/// signed on with keys the host holds, inside the key exchange gate, and read into a typed result. A withdrawal whose
/// outcome is unknown is handed to the <see cref="ReversalEngine"/>.
/// </summary>
internal sealed class CardTransactions(
    TerminalConnection connection,
    TerminalClientOptions options,
    WorkingKeys keys,
    KeyExchangeGate gate,
    SignOnState signOn,
    TerminalExchange exchange,
    ReversalEngine reversals)
{
    /// <summary>See <see cref="AtmTerminalClient.BalanceAsync"/>.</summary>
    public async Task<TransactionResult> BalanceAsync(CardData card, string pin, AccountType account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        ValidatePin(pin);
        var pan = card.Pan;
        var (session, notSent) = await EnterSignedOnAsync(cancellationToken);
        if (session is null)
        {
            return notSent!;
        }

        try
        {
            var identity = exchange.NextIdentity(session);
            var trace = new RequestTrace(MessageTypes.AuthorizationRequest, identity.Stan, identity.TransmissionDateTime);
            var processingCode = TerminalMessages.ProcessingCode("31", account);
            var reply = await SendCardRequestAsync(session, MessageTypes.AuthorizationRequest, processingCode, null, null, identity, card, pin, cancellationToken);
            if (reply.Message is not { } response)
            {
                return new TransactionTimedOut(options.TerminalId, trace, reply.Reason);
            }

            try
            {
                return ReadCardResponse(response, trace, 0, account, pan, processingCode);
            }
            finally
            {
                MessagePool.Return(response);
            }
        }
        finally
        {
            gate.Exit();
        }
    }

    /// <summary>See <see cref="AtmTerminalClient.WithdrawAsync"/>.</summary>
    public async Task<TransactionResult> WithdrawAsync(CardData card, string pin, long amount, AccountType account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(card);
        ValidatePin(pin);
        var pan = card.Pan;
        ArgumentOutOfRangeException.ThrowIfLessThan(amount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(amount, MinorUnits.MaxAmount);
        var (session, notSent) = await EnterSignedOnAsync(cancellationToken);
        if (session is null)
        {
            return notSent!;
        }

        try
        {
            var identity = exchange.NextIdentity(session);
            var trace = new RequestTrace(MessageTypes.FinancialRequest, identity.Stan, identity.TransmissionDateTime);
            var processingCode = TerminalMessages.ProcessingCode("01", account);
            var original = new OriginalRequest(MessageTypes.FinancialRequest, identity.Stan, identity.TransmissionDateTime, options.AcquirerId, processingCode, amount, pan);
            var reply = await SendCardRequestAsync(session, MessageTypes.FinancialRequest, processingCode, amount, options.CurrencyCode, identity, card, pin, cancellationToken);
            if (reply.Message is not { } response)
            {
                Log.WithdrawalUnanswered(connection.Logger, options.TerminalId, identity.Stan, reply.Reason);
                return new TransactionTimedOut(options.TerminalId, trace, reply.Reason) { Reversal = reversals.Start(original, dispensed: null) };
            }

            try
            {
                var result = ReadCardResponse(response, trace, amount, account, pan, processingCode);
                // 96: the host failed mid-way. 94: the key was used before — almost always by a copy of this very
                // request that the network duplicated and the host may have approved. Neither says what happened to
                // the money, so the withdrawal is reversed, as when no answer came.
                return result is TransactionDeclined { ResponseCode: ResponseCodes.SystemMalfunction or ResponseCodes.DuplicateTransmission }
                    ? result with { Reversal = reversals.Start(original, dispensed: null) }
                    : result;
            }
            finally
            {
                MessagePool.Return(response);
            }
        }
        finally
        {
            gate.Exit();
        }
    }

    private static void ValidatePin(string pin)
    {
        if (!TerminalMessages.IsValidPin(pin))
        {
            throw new ArgumentException("A PIN is 4–12 digits.", nameof(pin));
        }
    }

    /// <summary>
    /// Waits until the terminal is signed on and enters the gate shared. Either the session comes back, with the gate
    /// held (the caller exits it), or — when the terminal is not signed on in time, or a key exchange took it off the link
    /// while this waited for the gate — why nothing was sent, with the gate not held. The reason is read inside the gate,
    /// where no key exchange can change the keys under it.
    /// </summary>
    private async ValueTask<(LinkSession? Session, TransactionNotSent? NotSent)> EnterSignedOnAsync(CancellationToken cancellationToken)
    {
        var session = await signOn.WaitUntilSignedOnAsync(options.RequestTimeout, cancellationToken);
        if (session is null)
        {
            return (null, NotSignedOn());
        }

        await gate.EnterAsync(cancellationToken);
        if (signOn.MaySendOver(session))
        {
            return (session, null);
        }

        try
        {
            return (null, NotSignedOn());
        }
        finally
        {
            gate.Exit();
        }
    }

    /// <summary>Sends a card request built in a pooled message, which is wiped (PAN, track 2, PIN block) however the exchange ends.</summary>
    private async Task<Reply> SendCardRequestAsync(
        LinkSession session,
        int mti,
        string processingCode,
        long? amount,
        int? currencyCode,
        RequestIdentity identity,
        CardData card,
        string pin,
        CancellationToken cancellationToken)
    {
        var request = MessagePool.Rent();
        try
        {
            TerminalMessages.SetCardRequest(request, mti, processingCode, amount, identity, currencyCode, card, pin, keys.PinKey);
            return await exchange.ExchangeFinancialAsync(session, request, identity.Stan, cancellationToken);
        }
        finally
        {
            MessagePool.Return(request);
        }
    }

    private TransactionNotSent NotSignedOn() => new(
        options.TerminalId,
        signOn.LastSignOnResponseCode is { } code and not ResponseCodes.Approved
            ? $"Terminal {options.TerminalId} is not signed on: the host answered {code} ({ResponseCodeText.Meaning(code)})."
            : $"Terminal {options.TerminalId} is not signed on (link {connection.State}).");

    private TransactionResult ReadCardResponse(IsoMessage response, RequestTrace trace, long amount, AccountType account, string pan, string processingCode)
    {
        var code = TerminalMessages.ResponseCode(response);
        Log.Answered(connection.Logger, options.TerminalId, amount > 0 ? "withdrawal" : "balance inquiry", trace.Stan, code);
        var balance = TerminalMessages.ReadBalance(response, account);
        if (code != ResponseCodes.Approved)
        {
            return new TransactionDeclined(options.TerminalId, trace, code, ResponseCodeText.Meaning(code), balance);
        }

        return new TransactionApproved(
            options.TerminalId,
            trace,
            response.GetString(DataElements.AuthorizationId)?.Trim() ?? string.Empty,
            response.GetString(DataElements.RetrievalReference)?.Trim() ?? string.Empty,
            amount,
            balance,
            account,
            SensitiveData.MaskPan(pan))
        {
            AcquirerId = options.AcquirerId,
            ProcessingCode = processingCode,
            Pan = pan,
        };
    }
}
