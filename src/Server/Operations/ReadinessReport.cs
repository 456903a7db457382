using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SocketAtm.Server.Operations;

/// <summary>
/// <c>/readyz</c>'s body: the overall status and every check's status, description and data, as JSON. What a check
/// reports is written by the checks themselves (states and counts, never addresses, keys or card data); an exception a
/// check threw is left out, its message could say anything.
/// </summary>
internal static class ReadinessReport
{
    public const string ContentType = "application/json; charset=utf-8";

    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        context.Response.ContentType = ContentType;
        await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            if (entry.Data.Count > 0)
            {
                json.WriteStartObject("data");
                foreach (var (key, value) in entry.Data)
                {
                    json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
