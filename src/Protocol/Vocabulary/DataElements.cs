namespace SocketAtm.Protocol.Vocabulary;

/// <summary>
/// The data-element numbers SocketAtm speaks, by name (ISO 8583:1987; <see cref="Iso8583.FieldTable"/> holds their
/// formats). Host and terminal name a field through these, so that a reader never has to know that 52 is the PIN.
/// </summary>
public static class DataElements
{
    public const int PrimaryAccountNumber = 2;
    public const int ProcessingCode = 3;
    public const int Amount = 4;
    public const int TransmissionDateTime = 7;
    public const int Stan = 11;
    public const int LocalTime = 12;
    public const int LocalDate = 13;
    public const int ExpirationDate = 14;
    public const int SettlementDate = 15;
    public const int MerchantType = 18;
    public const int PosEntryMode = 22;
    public const int PosConditionCode = 25;
    public const int AcquirerId = 32;
    public const int Track2 = 35;
    public const int RetrievalReference = 37;
    public const int AuthorizationId = 38;
    public const int ResponseCode = 39;
    public const int TerminalId = 41;
    public const int CardAcceptorId = 42;
    public const int CardAcceptorLocation = 43;

    /// <summary>DE 48, additional data (private): the key-exchange response carries the new working keys here.</summary>
    public const int AdditionalData = 48;

    public const int Currency = 49;
    public const int PinBlock = 52;
    public const int SecurityControl = 53;

    /// <summary>DE 54, additional amounts: the balances (<see cref="Composites.AdditionalAmounts"/>).</summary>
    public const int AdditionalAmounts = 54;

    /// <summary>DE 64, the MAC of a message with no secondary bitmap.</summary>
    public const int Mac = 64;

    /// <summary>DE 70, network management information code (<see cref="NetworkManagementCodes"/>).</summary>
    public const int NetworkManagementCode = 70;

    /// <summary>DE 90, original data elements: which request a reversal undoes (<see cref="Composites.OriginalDataElements"/>).</summary>
    public const int OriginalDataElements = 90;

    /// <summary>DE 95, replacement amounts: what was actually dispensed (<see cref="Composites.ReplacementAmounts"/>).</summary>
    public const int ReplacementAmounts = 95;

    public const int MessageSecurityCode = 96;
    public const int AccountIdentification = 102;

    /// <summary>DE 128, the MAC of a message with a secondary bitmap.</summary>
    public const int SecondaryMac = 128;
}
