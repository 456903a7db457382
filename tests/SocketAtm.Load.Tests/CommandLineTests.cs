namespace SocketAtm.Load.Tests;

/// <summary>Settings that cannot make a run are refused before anything starts, with a message that says why.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Several_hosts_on_LiteDB_are_refused_with_exit_code_2()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await LoadCommandLine.RunAsync(["--hosts", "2", "--storage", "litedb", "--no-ceilings"], output, error);

        Assert.Equal(LoadCommandLine.CouldNotRun, exitCode);
        Assert.Equal(2, exitCode);
        Assert.Contains("--hosts 2 needs --storage postgresql", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Provisioning", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_string_without_postgresql_storage_is_refused_with_exit_code_2()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await LoadCommandLine.RunAsync(["--connection-string", "Host=127.0.0.1;Database=x"], output, error);

        Assert.Equal(LoadCommandLine.CouldNotRun, exitCode);
        Assert.Contains("--connection-string needs --storage postgresql", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--off-us 20 --host 127.0.0.1", "--off-us needs hosts the harness starts")]
    [InlineData("--off-us 20 --workload balance", "--off-us sends withdrawals")]
    [InlineData("--off-us 101", "--off-us is a percentage, 0 to 100.")]
    public async Task A_not_on_us_share_the_harness_cannot_serve_is_refused_with_exit_code_2(string arguments, string message)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await LoadCommandLine.RunAsync([.. arguments.Split(' '), "--no-ceilings"], output, error);

        Assert.Equal(LoadCommandLine.CouldNotRun, exitCode);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Issuer simulator", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_reported_command_leaves_out_the_connection_string_and_its_password()
    {
        var command = LoadCommandLine.ReportedCommand(
            ["--storage", "postgresql", "--connection-string", "Host=db;Password=secret1", "--hosts", "2", "--connection-string=Host=db;Password=secret2"]);

        Assert.DoesNotContain("secret", command, StringComparison.Ordinal);
        Assert.Equal("SocketAtm.Load --storage postgresql --connection-string <not shown> --hosts 2 --connection-string=<not shown>", command);
    }
}
