using System.Globalization;
using System.Text;
using SocketAtm.Load.Viewers;

namespace SocketAtm.Load.Reporting;

/// <summary>The console viewers' part of results.md (<c>--console-viewers</c>).</summary>
internal static class ConsoleViewersMarkdown
{
    public static void Append(StringBuilder text, ConsoleViewersResult viewers)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(viewers);
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        Line($"");
        Line($"| operations port during the measured window | value |");
        Line($"|---|---:|");
        Line($"| console viewers asked / connected (200) | {viewers.Asked:N0} / {viewers.Connected:N0} |");
        Line($"| viewers refused (503) / failed otherwise / dropped | {viewers.Refused:N0} / {viewers.Failed:N0} / {viewers.Dropped:N0} |");
        Line($"| frames received (JSON-parsed), per viewer per second | {viewers.Frames:N0}, {viewers.FramesPerViewerPerSecond:F2} over {viewers.Seconds:F1} s |");
        Line($"| /metrics scrapes answered 200 / made | {viewers.ScrapesAnswered:N0} / {viewers.Scrapes:N0} |");
        if (viewers.FellShort)
        {
            Line($"");
            Line($"- VIEWERS FELL SHORT: {viewers.Connected:N0} of {viewers.Asked:N0} connected, {viewers.Dropped:N0} dropped — the terminal figures above are not those of {viewers.Asked:N0} viewers.");
        }

        foreach (var (reason, count) in viewers.Problems)
        {
            Line($"- {reason}: {count:N0}");
        }
    }
}
