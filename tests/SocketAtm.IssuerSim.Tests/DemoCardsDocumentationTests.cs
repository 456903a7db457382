using System.Globalization;
using SocketAtm.IssuerSim;

namespace SocketAtm.IssuerSim.Tests;

/// <summary>PROTOCOL.md §13 lists the simulator's demo cards for integrators: the table must be what the simulator seeds.</summary>
public sealed class DemoCardsDocumentationTests
{
    [Fact]
    public void The_cards_of_another_bank_in_protocol_section_13_are_the_simulators_demo_cards()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "PROTOCOL.md"));
        var heading = Array.FindIndex(lines, line => line.StartsWith("**Cards of another bank**", StringComparison.Ordinal));
        Assert.True(heading >= 0, "PROTOCOL.md has no 'Cards of another bank' table");
        var rows = lines.Skip(heading + 1).SkipWhile(line => !line.StartsWith("| PAN", StringComparison.Ordinal)).Skip(2)
            .TakeWhile(line => line.StartsWith('|'))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries)[1..^1])
            .ToList();

        Assert.Equal(IssuerDemoData.Cards.Count, rows.Count);
        foreach (var (card, row) in IssuerDemoData.Cards.Zip(rows))
        {
            Assert.Equal(card.Pan, row[0]);
            Assert.Equal(IssuerDemoData.Pin, row[1]);
            Assert.Equal(card.Expiry, row[2]);
            Assert.Equal((card.Balance / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture), row[3]);
            Assert.Equal(card.Blocked, row[4] == "blocked");
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SocketAtm.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("The repository root (SocketAtm.sln) is not above the test binaries.");
    }
}
