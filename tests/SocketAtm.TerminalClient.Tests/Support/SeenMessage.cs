namespace SocketAtm.TerminalClient.Tests.Support;

/// <summary>What the relay saw of one message (no PAN, no PIN block).</summary>
internal sealed record SeenMessage(
    int Mti,
    string? TerminalId,
    string? Stan,
    string? TransmissionDateTime,
    string? NetworkCode,
    string? ResponseCode,
    string? OriginalData,
    string? ReplacementAmounts,
    int? MacField,
    bool MacValid);
