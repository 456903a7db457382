namespace SocketAtm.IssuerSim.Faults;

/// <summary>
/// What a bad answer looks like (<c>--bad-answers</c>): each is a kind of issuer input the acquirer must survive without
/// delivering it to a terminal as an approval. The request's effect is booked first, exactly as for a good answer.
/// </summary>
public enum BadAnswerMode
{
    /// <summary>Answers are correct.</summary>
    None,

    /// <summary>The answer carries a DE 11 nobody sent, so it matches no request (unmatched).</summary>
    UnknownKey,

    /// <summary>The answer goes out with the request's MTI (0200 where the 0210 belongs).</summary>
    RequestMti,

    /// <summary>The answer echoes a DE 2 other than the request's (untrusted).</summary>
    PanMismatch,

    /// <summary>The answer echoes a DE 4 other than the request's (untrusted).</summary>
    AmountMismatch,

    /// <summary>Instead of the answer, a frame whose length header declares more than the frame cap.</summary>
    Oversize,

    /// <summary>Instead of the answer, a well-framed payload that does not parse as ISO 8583.</summary>
    Garbage,
}
