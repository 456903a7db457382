namespace SocketAtm.TerminalClient.Tests.Support;

/// <summary>The demo cards of PROTOCOL.md §13.</summary>
internal static class DemoCards
{
    public const string Pan = "4761739001010119";      // 1,000.00, PIN 1234
    public const string Pin = "1234";
    public const string SmallPan = "4761739001010127";  // 50.00, PIN 4321
    public const string SmallPin = "4321";
    public const string ExpiredPan = "4761739001010135"; // PIN 1111
    public const string BlockedPan = "4761739001010143"; // PIN 2222
}
