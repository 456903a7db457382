namespace SocketAtm.Testing;

/// <summary>A tool some tests need and this machine lacks: <paramref name="Tool"/> names it, <paramref name="Why"/> says what is missing and how to get it.</summary>
public sealed record MissingTool(string Tool, string Why)
{
    /// <summary>The skip reason, also put in the test's name: the console's default "Skipped …" line shows names, not reasons.</summary>
    public string SkipReason => $"{Tool} tests SKIPPED: {Why}";

    public string FailureMessage =>
        $"{Tool} tests cannot run: {Why} {RequiredTools.RequireAllVariable}=1 (set by .ci/run) makes this a failure instead of a skip; install it (.ci/install-test-tools), or unset the variable to skip.";
}
