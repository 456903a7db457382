namespace SocketAtm.Server.Ledger;

/// <summary>A terminal to register. Every key must be given: nothing falls back to the published demo keys.</summary>
internal sealed class TerminalRegistration
{
    /// <summary>Terminal id (DE 41): 8 characters.</summary>
    public required string TerminalId { get; init; }

    public bool Enabled { get; init; } = true;

    public bool RequiresMac { get; init; }

    /// <summary>Terminal master key (TMK), 16 bytes; required.</summary>
    public byte[]? MasterKey { get; init; }

    /// <summary>PIN key (TPK), 16 bytes; required.</summary>
    public byte[]? PinKey { get; init; }

    /// <summary>MAC key (TAK), 16 bytes; required.</summary>
    public byte[]? MacKey { get; init; }

    /// <summary>
    /// Replace a terminal already registered under the id, keys and all. False by default: registering an id that is
    /// registered is refused (<see cref="TerminalAlreadyRegisteredException"/>) and changes nothing.
    /// </summary>
    public bool ReplaceExisting { get; init; }

    /// <summary>Log-safe: no keys.</summary>
    public override string ToString() => $"Terminal {TerminalId}";
}
