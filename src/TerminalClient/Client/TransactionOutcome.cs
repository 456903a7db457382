namespace SocketAtm.Client;

/// <summary>The four ways a card transaction ends; each has its own <see cref="TransactionResult"/> type.</summary>
public enum TransactionOutcome
{
    /// <summary>The host answered 00: <see cref="TransactionApproved"/>.</summary>
    Approved,

    /// <summary>The host answered with another response code: <see cref="TransactionDeclined"/>.</summary>
    Declined,

    /// <summary>The request was sent but no valid answer came: <see cref="TransactionTimedOut"/>.</summary>
    TimedOut,

    /// <summary>The request was never sent (no link, terminal not signed on): <see cref="TransactionNotSent"/>.</summary>
    NotSent,
}
