using SocketAtm.Server.Hosting;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Tests.Hosting;

public sealed class LedgerFactoryTests
{
    [Fact]
    public void A_PostgreSQL_ledger_is_described_by_host_and_database_without_the_password()
    {
        var description = LedgerFactory.Describe(
            new LedgerOptions(),
            new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = "Host=db.bank.example;Database=atm;Username=atm;Password=s3cret-Pa55" });

        Assert.Equal("PostgreSQL on db.bank.example/atm", description);
    }

    [Fact]
    public void A_connection_string_that_does_not_parse_is_not_echoed()
    {
        var description = LedgerFactory.Describe(
            new LedgerOptions(),
            new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = "Password=s3cret-Pa55;Nonsense Keyword=1" });

        Assert.DoesNotContain("s3cret", description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_LiteDB_ledger_is_described_by_its_full_data_directory()
    {
        var description = LedgerFactory.Describe(new LedgerOptions { DataDirectory = "relative-data" }, new StorageOptions());

        Assert.Equal("LiteDB in " + Path.GetFullPath("relative-data"), description);
    }
}
