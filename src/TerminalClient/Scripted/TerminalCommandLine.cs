using System.CommandLine;
using SocketAtm.Client;
using SocketAtm.TerminalClient.Emulator;

namespace SocketAtm.TerminalClient.Scripted;

/// <summary>
/// The command line of the emulator. Without a command it is the interactive ATM; with <c>balance</c>,
/// <c>withdraw</c> or <c>echo</c> it does one transaction, prints the outcome (human or <c>--json</c>) and exits with
/// <see cref="ExitCodes"/>.
/// </summary>
internal static class TerminalCommandLine
{
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
            return ExitCodes.Usage;
        }

        // Ctrl-C is the caller's (the token): the emulator signs off and an unanswered withdrawal is still reversed.
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cancellationToken);
    }

    private static RootCommand Build(TextWriter output, TextWriter error)
    {
        var host = new Option<string>("--host") { Description = "Host name or address of the authorization host; a comma-separated list of host[:port] fails over in turn", DefaultValueFactory = _ => "127.0.0.1", Recursive = true };
        var port = new Option<int>("--port") { Description = "TCP port of the host", DefaultValueFactory = _ => 8583, Recursive = true };
        var terminal = new Option<string>("--terminal") { Description = "Terminal id (DE 41)", DefaultValueFactory = _ => "ATM00009", Recursive = true };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait to connect and for each answer", DefaultValueFactory = _ => 15, Recursive = true };
        var mac = new Option<string>("--mac") { Description = "MAC financial messages: auto (ATM00001–08 yes, others no), on, off", DefaultValueFactory = _ => "auto", Recursive = true };
        mac.AcceptOnlyFromAmong("auto", "on", "off");
        var keyExchange = new Option<bool>("--key-exchange") { Description = "Ask for new working keys (0800/161) after sign-on", Recursive = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text", Recursive = true };
        var tls = new Option<bool>("--tls") { Description = "Connect with TLS (the host's Listener:Tls)", Recursive = true };
        var tlsServerName = new Option<string?>("--tls-server-name") { Description = "Name the host's certificate must carry (default: --host)", Recursive = true };
        var tlsCa = new Option<string?>("--tls-ca") { Description = "PEM file of the CA the host's certificate must chain to (default: the system's trust store)", Recursive = true };
        var clientCert = new Option<string?>("--client-cert") { Description = "Client certificate for mutual TLS: PFX, or PEM with --client-key (password from SOCKETATM_CLIENT_CERT_PASSWORD)", Recursive = true };
        var clientKey = new Option<string?>("--client-key") { Description = "PEM private key of a PEM --client-cert", Recursive = true };

        TlsClientOptions? Tls(ParseResult parse) => parse.GetValue(tls) || parse.GetValue(clientCert) is not null || parse.GetValue(tlsCa) is not null
            ? new TlsClientOptions
            {
                ServerName = parse.GetValue(tlsServerName),
                CertificateAuthorityPath = parse.GetValue(tlsCa),
                ClientCertificatePath = parse.GetValue(clientCert),
                ClientKeyPath = parse.GetValue(clientKey),
                ClientCertificatePassword = Environment.GetEnvironmentVariable("SOCKETATM_CLIENT_CERT_PASSWORD"),
            }
            : null;

        ScriptSettings Settings(ParseResult parse) => new(
            parse.GetValue(host)!,
            parse.GetValue(port),
            parse.GetValue(terminal)!,
            TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(timeout))),
            parse.GetValue(mac) switch { "on" => true, "off" => false, _ => null },
            parse.GetValue(keyExchange),
            parse.GetValue(json),
            Tls(parse));

        var root = new RootCommand("SocketAtm ATM terminal emulator. Without a command: the interactive ATM. With a command: one transaction for scripts.");
        foreach (var option in new Option[] { host, port, terminal, timeout, mac, keyExchange, json, tls, tlsServerName, tlsCa, clientCert, clientKey })
        {
            root.Options.Add(option);
        }

        root.SetAction((parse, cancellationToken) =>
        {
            var settings = Settings(parse);
            return EmulatorApp.RunAsync(settings.Connection, settings.Terminal, cancellationToken);
        });

        var card = new Option<string>("--card") { Description = "Card number (PAN), 13–19 digits, sent as DE 2; or the card's track 2 (PAN=YYMM, service code, PVKI, PVV, CVV), sent as DE 35 as a card reader does", Required = true };
        var pin = new Option<string>("--pin") { Description = "PIN, 4–12 digits (sent only as an encrypted PIN block)", Required = true };
        var account = new Option<AccountType>("--account") { Description = "Account: Default, Savings, Checking or Credit", DefaultValueFactory = _ => AccountType.Default };

        var balance = new Command("balance", "Balance inquiry (0100)") { card, pin, account };
        balance.SetAction((parse, cancellationToken) => RunAsync(Settings(parse), output, "balance", async (atm, reports) =>
        {
            var result = await atm.BalanceAsync(ReadCard(parse.GetValue(card)!), parse.GetValue(pin)!, parse.GetValue(account), cancellationToken);
            return reports.Transaction("balance", result, 0, null, null, false);
        }, cancellationToken));

        var amount = new Option<string>("--amount") { Description = "Amount to withdraw, e.g. 40.00", Required = true };
        var dispensed = new Option<string?>("--dispensed") { Description = "Simulate the dispenser: the amount that came out (0 = jam); default all of it" };
        var withdraw = new Command("withdraw", "Cash withdrawal (0200), then the dispense: full, partial or jam (reversed)") { card, pin, amount, dispensed, account };
        withdraw.SetAction(async (parse, cancellationToken) =>
        {
            if (!MinorUnits.TryParse(parse.GetValue(amount), out var minor) || minor == 0)
            {
                await error.WriteLineAsync($"--amount: '{parse.GetValue(amount)}' is not an amount such as 40 or 40.00.");
                return ExitCodes.Usage;
            }

            var cash = minor;
            if (parse.GetValue(dispensed) is { } text && (!MinorUnits.TryParse(text, out cash) || cash > minor))
            {
                await error.WriteLineAsync($"--dispensed: '{text}' is not an amount between 0 and the amount withdrawn.");
                return ExitCodes.Usage;
            }

            return await RunAsync(Settings(parse), output, "withdraw", (atm, reports) => WithdrawAsync(atm, reports, parse.GetValue(card)!, parse.GetValue(pin)!, minor, cash, parse.GetValue(account), cancellationToken), cancellationToken);
        });

        var echo = new Command("echo", "Echo test (0800, DE 70 = 301)");
        echo.SetAction((parse, cancellationToken) => RunAsync(Settings(parse), output, "echo", async (atm, reports) =>
            reports.Echo(atm.TerminalId, await atm.EchoAsync(cancellationToken)), cancellationToken));

        root.Subcommands.Add(balance);
        root.Subcommands.Add(withdraw);
        root.Subcommands.Add(echo);
        return root;
    }

    private static async Task<int> WithdrawAsync(AtmTerminalClient atm, ReportWriter reports, string card, string pin, long amount, long dispensed, AccountType account, CancellationToken cancellationToken)
    {
        var result = await atm.WithdrawAsync(ReadCard(card), pin, amount, account, cancellationToken);
        var reversal = result switch
        {
            TransactionApproved approved when dispensed < amount => atm.ReportDispenseAsync(approved, dispensed, CancellationToken.None),
            _ => result.Reversal,
        };
        ReversalResult? reversed = null;
        if (reversal is not null)
        {
            try
            {
                // Bounded: disposing the terminal afterwards waits a little longer, then gives up and says so in the log.
                reversed = await reversal.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }
            catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
            {
                reversed = null;
            }
        }

        return reports.Transaction("withdraw", result, amount, result is TransactionApproved ? dispensed : null, reversed, reversal is not null && reversed is null);
    }

    /// <summary><c>--card</c>: a track 2 when it holds a separator, else a PAN (either way a bad one is an <see cref="ArgumentException"/>).</summary>
    private static CardData ReadCard(string card) => CardData.LooksLikeTrack2(card) ? CardData.FromTrack2(card) : CardData.FromPan(card);

    private static async Task<int> RunAsync(ScriptSettings settings, TextWriter output, string command, Func<AtmTerminalClient, ReportWriter, Task<int>> work, CancellationToken cancellationToken)
    {
        var reports = new ReportWriter(output, settings.Json);
        AtmTerminalClient atm;
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connecting.CancelAfter(settings.Timeout);
            try
            {
                atm = await AtmTerminalClient.ConnectAsync(settings.Connection, settings.Terminal, connecting.Token);
            }
            catch (OperationCanceledException)
            {
                return reports.Failure(command, settings.TerminalId, $"could not connect to {settings.Host}:{settings.Port} within {settings.Timeout.TotalSeconds:0.#} s");
            }
        }

        await using (atm)
        {
            try
            {
                return await work(atm, reports);
            }
            catch (ArgumentException exception)
            {
                return reports.Failure(command, settings.TerminalId, exception.Message);
            }
        }
    }
}
