namespace SocketAtm.Server.Ledger;

/// <summary>A PVK the ledger holds, as the operator sees it: its PVKI, its KCV (never the key), and what uses it.</summary>
/// <param name="Index">The PVKI.</param>
/// <param name="CheckValue">The KCV, 6 hex digits; null when cards name this PVKI but no key is held for it.</param>
/// <param name="IsIssuing">True for the PVK new cards are issued under.</param>
/// <param name="Cards">Cards on file whose PVV was computed under it.</param>
internal sealed record HeldPinVerificationKey(int Index, string? CheckValue, bool IsIssuing, int Cards);
