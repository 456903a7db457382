namespace SocketAtm.Server.Ledger.PostgreSql;

/// <summary>
/// The host answers only after its commits, so a commit must wait for the WAL flush even where synchronous_commit was
/// turned off for the server, the database or the role: otherwise an approval, or a terminal's new keys, could vanish
/// with a database crash after the terminal was told. A stronger setting (remote_write, remote_apply) is kept.
/// </summary>
internal static class DurableCommits
{
    /// <summary>For the rest of the current transaction.</summary>
    public const string ForTransaction =
        "SELECT set_config('synchronous_commit', 'on', true) WHERE current_setting('synchronous_commit') = 'off'";

    /// <summary>For the rest of the session (until the pool resets the connection when it is returned).</summary>
    public const string ForSession =
        "SELECT set_config('synchronous_commit', 'on', false) WHERE current_setting('synchronous_commit') = 'off'";
}
