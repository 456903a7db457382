using System.CommandLine;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using SocketAtm.IssuerSim.Book;
using SocketAtm.IssuerSim.Faults;

namespace SocketAtm.IssuerSim;

/// <summary>
/// The simulator's command line. Without a command it runs the issuer until Ctrl-C; <c>book</c> prints the book of a
/// stopped simulator per RRN (TSV, or <c>--json</c>). Exit codes: 0 done, 2 usage or start-up problem.
/// </summary>
internal static class IssuerCommandLine
{
    public const int Usage = 2;

    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = Build(output, error);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not { ClearsParseErrors: true })
        {
            foreach (var problem in parsed.Errors)
            {
                await error.WriteLineAsync(problem.Message);
            }

            await error.WriteLineAsync("Run with --help for the commands and options.");
            return Usage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cancellationToken);
    }

    private static RootCommand Build(TextWriter output, TextWriter error)
    {
        var data = new Option<string>("--data") { Description = "Directory of the book (created and seeded with the demo cards when new)", DefaultValueFactory = _ => "issuer-data", Recursive = true };
        var address = new Option<string>("--address") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (0: any free port)", DefaultValueFactory = _ => IssuerSimulatorOptions.DefaultPort };
        var zpk = new Option<string?>("--zpk") { Description = "Zone PIN key, 32 hex digits (default on loopback only: the published demo ZPK)" };
        var zpkFile = new Option<string?>("--zpk-file") { Description = "File holding the zone PIN key as 32 hex digits" };
        var zak = new Option<string?>("--zak") { Description = "Zone MAC key, 32 hex digits: financial requests must carry a valid DE 64/128, answers are signed" };
        var zakFile = new Option<string?>("--zak-file") { Description = "File holding the zone MAC key as 32 hex digits" };
        var maxFrame = new Option<int>("--max-frame") { Description = "Largest frame accepted, and the cap an oversize bad answer exceeds (the host's MaxFrame)", DefaultValueFactory = _ => 8192 };
        var drop = new Option<double>("--drop") { Description = "Probability (0–1) of answering nothing (the effect is still booked)" };
        var delay = new Option<string?>("--delay") { Description = "Answer every financial request after this long (e.g. 500ms, 2s)" };
        var late = new Option<double>("--late") { Description = "Probability (0–1) of answering after --late-by" };
        var lateBy = new Option<string?>("--late-by") { Description = "How late a late answer is (default 10s: past the acquirer's 8 s budget)" };
        var duplicate = new Option<double>("--duplicate") { Description = "Probability (0–1) of sending the answer twice" };
        var reorder = new Option<bool>("--reorder") { Description = "Hold every other answer and send it after the next one (at most 2 s)" };
        var resetEvery = new Option<string?>("--reset-every") { Description = "Close every connection this often (e.g. 30s)" };
        var refuseFor = new Option<string?>("--refuse-for") { Description = "Refuse connections this long at start and after every reset (e.g. 5s)" };
        var badAnswers = new Option<string?>("--bad-answers") { Description = "Send bad answers: unknown-key, request-mti, pan-mismatch, amount-mismatch, oversize, garbage" };
        badAnswers.AcceptOnlyFromAmong("unknown-key", "request-mti", "pan-mismatch", "amount-mismatch", "oversize", "garbage");
        var badAnswerRate = new Option<double>("--bad-answer-rate") { Description = "Probability (0–1) that an answer is bad when --bad-answers is set", DefaultValueFactory = _ => 1 };
        var refuseAdvices = new Option<string?>("--refuse-advices") { Description = "Answer every stand-in advice (0220/0221) with this response code (two digits, not 00, e.g. 12 or 30) and book nothing" };
        var refuseReversals = new Option<string?>("--refuse-reversals") { Description = "Answer every reversal advice (0420/0421) with this response code (two digits, not 00) and book nothing" };
        var seed = new Option<int?>("--seed") { Description = "Seed of the random faults, to reproduce a run" };
        var quiet = new Option<bool>("--quiet") { Description = "Log warnings only, not every request" };

        var root = new RootCommand("SocketAtm issuer simulator: the issuer on the other end of the host's upstream link, with its own cards, book and faults.");
        foreach (var option in new Option[] { data, address, port, zpk, zpkFile, zak, zakFile, maxFrame, drop, delay, late, lateBy, duplicate, reorder, resetEvery, refuseFor, badAnswers, badAnswerRate, refuseAdvices, refuseReversals, seed, quiet })
        {
            root.Options.Add(option);
        }

        root.SetAction(async (parse, cancellationToken) =>
        {
            if (!TryOptions(parse, out var options, out var problem))
            {
                await error.WriteLineAsync(problem);
                return Usage;
            }

            return await RunAsync(options!, error, cancellationToken);
        });

        bool TryOptions(ParseResult parse, out IssuerSimulatorOptions? options, out string? problem)
        {
            options = null;
            if (!IPAddress.TryParse(parse.GetValue(address), out var ip))
            {
                problem = $"--address: '{parse.GetValue(address)}' is not an IP address.";
                return false;
            }

            var pinKey = ZoneKeys.Read("zpk", parse.GetValue(zpk), parse.GetValue(zpkFile), out problem);
            if (problem is not null)
            {
                return false;
            }

            var macKey = ZoneKeys.Read("zak", parse.GetValue(zak), parse.GetValue(zakFile), out problem);
            if (problem is not null)
            {
                return false;
            }

            var durations = new Dictionary<string, TimeSpan?>();
            foreach (var option in new[] { delay, lateBy, resetEvery, refuseFor })
            {
                var text = parse.GetValue(option);
                if (text is null)
                {
                    durations[option.Name] = null;
                }
                else if (Durations.TryParse(text, out var value))
                {
                    durations[option.Name] = value;
                }
                else
                {
                    problem = $"{option.Name}: '{text}' is not a duration such as 500ms, 2s, 1m or 00:00:10.";
                    return false;
                }
            }

            options = new IssuerSimulatorOptions
            {
                Address = ip,
                Port = parse.GetValue(port),
                DataDirectory = parse.GetValue(data)!,
                ZonePinKey = pinKey,
                ZoneMacKey = macKey,
                MaxFrameLength = parse.GetValue(maxFrame),
                RefuseAdvices = parse.GetValue(refuseAdvices),
                RefuseReversals = parse.GetValue(refuseReversals),
                Logger = new ConsoleLineLogger(output, parse.GetValue(quiet) ? LogLevel.Warning : LogLevel.Information),
                Faults = new FaultOptions
                {
                    DropProbability = parse.GetValue(drop),
                    Delay = durations[delay.Name] ?? TimeSpan.Zero,
                    LateProbability = parse.GetValue(late),
                    LateBy = durations[lateBy.Name] ?? FaultOptions.DefaultLateBy,
                    DuplicateProbability = parse.GetValue(duplicate),
                    Reorder = parse.GetValue(reorder),
                    ResetEvery = durations[resetEvery.Name],
                    RefuseFor = durations[refuseFor.Name] ?? TimeSpan.Zero,
                    BadAnswers = ParseMode(parse.GetValue(badAnswers)),
                    BadAnswerProbability = parse.GetValue(badAnswerRate),
                    Seed = parse.GetValue(seed),
                },
            };
            problem = options.Problem();
            return problem is null;
        }

        var json = new Option<bool>("--json") { Description = "One JSON array instead of tab-separated lines" };
        var book = new Command("book", "Print the book of a stopped simulator per RRN: acquirer id, RRN, masked PAN, kind, amount, net amount, responses") { json };
        book.SetAction(async (parse, cancellationToken) =>
        {
            IReadOnlyList<IssuerBookLine> lines;
            try
            {
                lines = BookReport.Read(parse.GetValue(data)!);
            }
            catch (IssuerSimulatorStartupException exception)
            {
                await error.WriteLineAsync(exception.Message);
                return Usage;
            }

            if (parse.GetValue(json))
            {
                BookReport.WriteJson(output, lines);
            }
            else
            {
                BookReport.WriteTsv(output, lines);
            }

            return 0;
        });
        root.Subcommands.Add(book);
        return root;
    }

    /// <summary>The mode named on the command line (kebab case) as a <see cref="BadAnswerMode"/>.</summary>
    internal static BadAnswerMode ParseMode(string? text) => text is null
        ? BadAnswerMode.None
        : Enum.Parse<BadAnswerMode>(text.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true);

    private static async Task<int> RunAsync(IssuerSimulatorOptions options, TextWriter error, CancellationToken cancellationToken)
    {
        IssuerSimulator simulator;
        try
        {
            simulator = await IssuerSimulator.StartAsync(options, cancellationToken);
        }
        catch (IssuerSimulatorStartupException exception)
        {
            await error.WriteLineAsync(exception.Message);
            return Usage;
        }

        await using (simulator)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: stop, closing the book cleanly.
            }
        }

        return 0;
    }
}
