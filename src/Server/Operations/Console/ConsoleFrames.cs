using System.Buffers;
using System.Text;
using System.Text.Json;
using SocketAtm.Protocol.Vocabulary;
using SocketAtm.Server.Sessions;
using SocketAtm.Server.Upstream;

namespace SocketAtm.Server.Operations.Console;

/// <summary>
/// The console's server-sent events, as bytes ready to write: <c>history</c> (the points a joining viewer's charts start
/// with) and <c>frame</c> (the latest point and the tables, once an interval). Terminal ids, codes, reasons, counts and
/// route states only: nothing here reads a card, a PIN or a key, so none can reach a page.
/// </summary>
internal static class ConsoleFrames
{
    public const string HistoryEvent = "history";
    public const string FrameEvent = "frame";

    public static byte[] History(IReadOnlyList<ConsolePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return Event(HistoryEvent, json =>
        {
            json.WriteStartArray();
            foreach (var point in points)
            {
                WritePoint(json, point);
            }

            json.WriteEndArray();
        });
    }

    public static byte[] Frame(ConsolePoint point, ConsoleState state)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(state);
        return Event(FrameEvent, json =>
        {
            json.WriteStartObject();
            json.WritePropertyName("point");
            WritePoint(json, point);
            json.WriteNumber("started_at", state.StartedAt);
            json.WriteNumber("connections", state.OpenConnections);
            WriteTerminals(json, state);
            WriteDeclines(json, state.Figures);
            WriteSecurity(json, state.Figures);
            WriteRoutes(json, state.Routes, state.Figures.Saf());
            json.WriteEndObject();
        });
    }

    private static void WritePoint(Utf8JsonWriter json, ConsolePoint point)
    {
        json.WriteStartObject();
        json.WriteNumber("t", point.At);
        json.WriteNumber("tps", Math.Round(point.TransactionsPerSecond, 2));
        json.WriteNumber("seconds", Math.Round(point.Seconds, 3));
        json.WriteStartObject("codes");
        foreach (var (code, count) in point.Codes)
        {
            json.WriteNumber(code, count);
        }

        json.WriteEndObject();
        json.WriteNumber("network_management", point.NetworkManagement);
        json.WriteNumber("commits", point.Commits);
        json.WriteNumber("batch_mean", point.Commits > 0 ? Math.Round(point.BatchedRequests / point.Commits, 2) : 0);
        json.WriteNumber("batch_max", point.BatchMax);
        json.WriteNumber("commit_ms_mean", point.Commits > 0 ? Math.Round(point.CommitMilliseconds / point.Commits, 3) : 0);
        json.WriteNumber("commit_ms_max", Math.Round(point.CommitMaxMilliseconds, 3));
        json.WriteNumber("saturated", point.Saturated);
        json.WriteNumber("queue_depth", point.QueueDepth);
        json.WriteEndObject();
    }

    private static void WriteTerminals(Utf8JsonWriter json, ConsoleState state)
    {
        json.WriteStartObject("terminals");
        json.WriteNumber("signed_on", state.SignedOnTerminals);
        json.WriteNumber("listed", state.Terminals.Count);
        json.WriteStartArray("list");
        foreach (var terminal in state.Terminals)
        {
            json.WriteStartObject();
            json.WriteString("id", terminal.TerminalId);
            json.WriteString("state", terminal.Connections > 0 ? "signed on" : "signed off");
            json.WriteNumber("connections", terminal.Connections);
            json.WriteNumber("signed_on_at", terminal.SignedOnAtMs);
            json.WriteNumber("last_activity", terminal.LastActivityMs);
            json.WriteString("address", terminal.RemoteAddress);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteDeclines(Utf8JsonWriter json, ConsoleFigures figures)
    {
        json.WriteStartArray("declines");
        foreach (var (code, count, lastMinute) in figures.Declines())
        {
            json.WriteStartObject();
            json.WriteString("code", code);
            json.WriteString("reason", ResponseCodes.Describe(code));
            json.WriteNumber("count", count);
            json.WriteNumber("last_minute", lastMinute);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteSecurity(Utf8JsonWriter json, ConsoleFigures figures)
    {
        json.WriteStartObject("security");
        json.WriteStartArray("by_reason");
        foreach (var (reason, count, lastAt) in figures.SecurityByReason())
        {
            json.WriteStartObject();
            json.WriteString("reason", reason);
            json.WriteNumber("count", count);
            json.WriteNumber("last_at", lastAt);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("recent");
        foreach (var seen in figures.RecentSecurity())
        {
            json.WriteStartObject();
            json.WriteNumber("at", seen.At);
            json.WriteString("reason", seen.Reason);
            json.WriteNumber("count", seen.Count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteRoutes(Utf8JsonWriter json, IReadOnlyList<RouteLinkStatus> routes, IReadOnlyDictionary<string, SafFigures> saf)
    {
        json.WriteStartArray("routes");
        foreach (var route in routes)
        {
            var queue = saf.GetValueOrDefault(route.Route);
            json.WriteStartObject();
            json.WriteString("route", route.Route);
            json.WriteString("link", route.SignedOn > 0 ? "up" : "down");
            json.WriteNumber("signed_on", route.SignedOn);
            json.WriteNumber("connections", route.Connections);
            json.WriteString("breaker", route.Breaker.ToString());
            json.WriteNumber("last_change", route.LastChange.ToUnixTimeMilliseconds());
            json.WriteNumber("requests", route.Requests);
            json.WriteNumber("timed_out", route.TimedOut);
            json.WriteNumber("saf_depth", queue.Depth);
            json.WriteNumber("saf_exceptions", queue.Exceptions);
            json.WriteNumber("saf_oldest_s", Math.Round(queue.OldestAgeSeconds, 1));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static byte[] Event(string name, Action<Utf8JsonWriter> data)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        buffer.Write(Encoding.ASCII.GetBytes($"event: {name}\ndata: "));
        using (var json = new Utf8JsonWriter(buffer))
        {
            // One line: an SSE data line ends at the first newline, and the writer escapes any inside strings.
            data(json);
        }

        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
