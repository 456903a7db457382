using System.Globalization;

namespace SocketAtm.Server.Upstream;

/// <summary>The date and time fields of upstream messages.</summary>
internal static class UpstreamTime
{
    /// <summary>DE 7: the transmission date and time in UTC, MMddHHmmss.</summary>
    public static string TransmissionDateTime(DateTimeOffset now) => now.UtcDateTime.ToString("MMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>DE 12: local time hhmmss.</summary>
    public static string LocalTime(DateTimeOffset local) => local.ToString("HHmmss", CultureInfo.InvariantCulture);

    /// <summary>DE 13: local date MMdd.</summary>
    public static string LocalDate(DateTimeOffset local) => local.ToString("MMdd", CultureInfo.InvariantCulture);
}
