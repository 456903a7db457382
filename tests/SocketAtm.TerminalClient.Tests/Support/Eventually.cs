namespace SocketAtm.TerminalClient.Tests.Support;

/// <summary>Waits, bounded, for a condition that becomes true asynchronously.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, because ?? "The condition did not become true in time.");
            await Task.Delay(10);
        }
    }
}
