namespace SocketAtm.Server.Ledger;

/// <summary>How a key exchange stands to the last one a terminal made (<see cref="TerminalRecord.OrderOf"/>).</summary>
internal enum KeyExchangeOrder
{
    /// <summary>Later than the last exchange (or the first one known): it may issue new keys.</summary>
    Later,

    /// <summary>The very exchange that issued the keys still pending (its answer was lost, or it is a replay): answered with those keys again.</summary>
    RepeatOfPending,

    /// <summary>Not later than the last exchange, and not a repeat of one whose keys are pending: a replay, refused.</summary>
    NotLater,
}
