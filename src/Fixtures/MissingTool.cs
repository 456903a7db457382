namespace SocketAtm.Fixtures;

/// <summary>
/// A tool some tests need and this machine lacks: <paramref name="Tool"/> names it, <paramref name="Why"/> says what is
/// missing and how to get it. What becomes of such a test (skipped or failed) is the xunit side's business
/// (tests/SocketAtm.Testing, RequiredTools), so the words for it are there too.
/// </summary>
public sealed record MissingTool(string Tool, string Why);
