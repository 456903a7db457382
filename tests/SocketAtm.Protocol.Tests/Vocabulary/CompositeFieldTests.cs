using SocketAtm.Protocol.Composites;
using SocketAtm.Protocol.Iso8583;
using SocketAtm.Protocol.Vocabulary;

namespace SocketAtm.Protocol.Tests.Vocabulary;

/// <summary>DE 54, DE 90 and DE 95 as PROTOCOL.md §9 lays them out: what one side writes, the other reads back.</summary>
public sealed class CompositeFieldTests
{
    [Fact]
    public void DE_54_balances_are_a_ledger_and_an_available_block_that_read_back()
    {
        Span<char> balances = stackalloc char[AdditionalAmounts.BalancesLength];
        AdditionalAmounts.WriteBalances(balances, accountType: 20, currency: 840, ledger: -1234, available: 9900);

        Assert.Equal("2001840D0000000012342002840C000000009900", balances.ToString());
        var field = System.Text.Encoding.ASCII.GetBytes(balances.ToString());
        Assert.Equal(2, AdditionalAmounts.BlockCount(field));
        Assert.True(AdditionalAmounts.TryReadBlock(field, 0, out var ledger));
        Assert.Equal(new AdditionalAmount(20, AdditionalAmounts.LedgerBalance, 840, -1234), ledger);
        Assert.True(AdditionalAmounts.TryReadBlock(field, 1, out var available));
        Assert.Equal(new AdditionalAmount(20, AdditionalAmounts.AvailableBalance, 840, 9900), available);
        Assert.False(AdditionalAmounts.TryReadBlock(field, 2, out _));
    }

    [Theory]
    [InlineData("2001840X000000001234")]
    [InlineData("20018A0C000000001234")]
    [InlineData("2001840C00000000123 ")]
    [InlineData("2001840C00000000123")]
    public void DE_54_block_that_is_not_well_formed_is_not_read(string block)
    {
        Assert.False(AdditionalAmounts.TryReadBlock(System.Text.Encoding.ASCII.GetBytes(block), 0, out _));
    }

    [Fact]
    public void DE_90_is_written_with_the_acquirer_zero_filled_and_reads_back()
    {
        var original = new OriginalDataElements(200, 123, "0314093512", "123456");

        var field = original.Format();

        Assert.Equal("020000012303140935120000012345600000000000", field);
        Assert.Equal("020000012303140935120000000000000000000000", (original with { AcquirerId = string.Empty }).Format());
        Assert.True(OriginalDataElements.TryParse(System.Text.Encoding.ASCII.GetBytes(field), out var read));
        Assert.Equal(original with { AcquirerId = "00000123456" }, read);
    }

    [Theory]
    [InlineData("02000001230314093512000001234560000000000")]
    [InlineData("0200000123031409351200000123456000000000000")]
    [InlineData("02000001230314093512000001234560000000000A")]
    public void DE_90_that_is_not_42_digits_is_not_read(string field)
    {
        Assert.False(OriginalDataElements.TryParse(System.Text.Encoding.ASCII.GetBytes(field), out _));
    }

    [Fact]
    public void DE_95_carries_the_dispensed_amount_first_and_zeros_after()
    {
        var field = ReplacementAmounts.Format(4000);

        Assert.Equal("000000004000000000000000000000000000000000", field);
        Assert.Equal(ReplacementAmounts.Length, field.Length);
        Assert.True(ReplacementAmounts.TryReadActualAmount(System.Text.Encoding.ASCII.GetBytes(field), out var amount));
        Assert.Equal(4000, amount);
        Assert.False(ReplacementAmounts.TryReadActualAmount("00000000400A000000000000000000000000000000"u8, out _));
    }

    [Theory]
    [InlineData("012000", true, 1)]
    [InlineData("301000", true, 30)]
    [InlineData("012010", false, 0)]
    [InlineData("01200", false, 0)]
    public void The_transaction_type_is_read_from_a_six_digit_processing_code_to_no_account(string code, bool read, int type)
    {
        Assert.Equal(read, ProcessingCodes.TryReadTransactionType(System.Text.Encoding.ASCII.GetBytes(code), out var transactionType));
        Assert.Equal(type, transactionType);
        Assert.Equal("012000", ProcessingCodes.Format(TransactionTypes.CashWithdrawal, 20));
    }

    [Theory]
    [InlineData(200, 210, 200, false, false)]
    [InlineData(201, 210, 200, true, false)]
    [InlineData(421, 430, 420, true, false)]
    [InlineData(810, 820, 810, false, true)]
    [InlineData(430, 440, 430, false, true)]
    public void MTI_digits_give_the_response_the_class_and_the_repeat(int mti, int response, int mtiClass, bool repeat, bool isResponse)
    {
        Assert.Equal(response, MessageTypes.ResponseOf(mti));
        Assert.Equal(mtiClass, MessageTypes.ClassOf(mti));
        Assert.Equal(repeat, MessageTypes.IsRepeat(mti));
        Assert.Equal(isResponse, MessageTypes.IsResponse(mti));
        Assert.Equal(mtiClass + 1, MessageTypes.RepeatOf(mti));
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(101, true)]
    [InlineData(200, true)]
    [InlineData(201, true)]
    [InlineData(210, false)]
    [InlineData(220, false)]
    [InlineData(221, false)]
    [InlineData(420, false)]
    [InlineData(800, false)]
    public void Only_authorization_and_financial_requests_and_their_repeats_are_financial_requests(int mti, bool financial)
    {
        Assert.Equal(financial, MessageTypes.IsFinancialRequest(mti));
    }

    [Fact]
    public void Every_named_data_element_is_one_the_field_table_defines()
    {
        var numbers = typeof(DataElements).GetFields().Select(field => (int)field.GetRawConstantValue()!).ToArray();

        Assert.All(numbers, number => Assert.True(FieldTable.IsDefined(number), $"DE {number} is named but not defined"));
        Assert.Equal(numbers.Length, numbers.Distinct().Count());
    }
}
