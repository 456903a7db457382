using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using SocketAtm.Protocol.Security;
using SocketAtm.Server.Ledger;

namespace SocketAtm.Server.Admin;

/// <summary>
/// <c>add-terminal</c>, <c>add-terminals</c>, <c>set-tmk</c>, <c>disable-terminal</c> and <c>enable-terminal</c>. A
/// terminal master key is entered as two or three components (<see cref="KeyComponentEntry"/>), never as one clear key
/// on the command line; <c>--demo-keys</c> gives a test terminal the published demo keys instead, and makes it demo data.
/// </summary>
internal static class TerminalCommands
{
    public const string ComponentFileOption = "--tmk-component-file";

    public static IEnumerable<Command> Create(Option<string?> data, AdminConsole console) =>
    [
        AddTerminal(data, console),
        AddTerminals(data, console),
        SetMasterKey(data, console),
        SetEnabled("disable-terminal", enabled: false, data, console),
        SetEnabled("enable-terminal", enabled: true, data, console),
    ];

    private static Command AddTerminal(Option<string?> data, AdminConsole console)
    {
        var id = IdOption();
        var mac = new Option<bool>("--mac") { Description = "The terminal must MAC its financial messages." };
        var components = ComponentFiles();
        var demo = DemoKeysOption();
        var replace = ReplaceOption("the terminal already registered under this id");
        var command = new Command(
            "add-terminal",
            "Register a terminal under a TMK entered as components (an id already registered is refused unless --replace). Its PIN and MAC keys are generated; the terminal obtains them with a key exchange (0800/161).")
        {
            id, mac, components, demo, replace,
        };
        command.SetAction((result, cancellation) => AdminCommandLine.WithLedgerAsync(result, data, console, async ledger =>
        {
            var terminalId = result.GetRequiredValue(id);
            var replacing = result.GetValue(replace);
            if (!replacing)
            {
                // Before the custodians type their components in; the registration below refuses it too, in its transaction.
                await RefuseRegisteredAsync(ledger, [terminalId], cancellation);
            }

            var masterKey = MasterKey(result, demo, components, console);
            var registration = Registration(terminalId, result.GetValue(mac), result.GetValue(demo), masterKey, replacing);
            try
            {
                await ledger.AddTerminalAsync(registration, cancellation);
            }
            catch (TerminalAlreadyRegisteredException registered)
            {
                throw AlreadyRegistered([registered.TerminalId], registeredBefore: 0);
            }

            await console.Output.WriteLineAsync(
                $"Terminal {terminalId} registered{(replacing ? " (any terminal of that id replaced, keys and all)" : string.Empty)}{(registration.RequiresMac ? " (MAC required)" : string.Empty)}.");
            return 0;
        }));
        return command;
    }

    private static Command AddTerminals(Option<string?> data, AdminConsole console)
    {
        var count = new Option<int>("--count") { Description = "How many terminals.", Required = true };
        var prefix = new Option<string>("--prefix") { Description = "Leading characters of every id (1–7); the rest is a zero-padded sequence number.", Required = true };
        var first = new Option<int>("--first") { Description = "First sequence number.", DefaultValueFactory = _ => 1 };
        var mac = new Option<bool>("--mac") { Description = "The terminals must MAC their financial messages." };
        var components = ComponentFiles();
        var demo = DemoKeysOption();
        var replace = ReplaceOption("those of the ids already registered");
        var command = new Command(
            "add-terminals",
            "Register many terminals with ids prefix + sequence number, all under one TMK (test fleets for load runs); refused, with nothing registered, when any id is registered already, unless --replace.")
        {
            count, prefix, first, mac, components, demo, replace,
        };
        command.SetAction((result, cancellation) => AdminCommandLine.WithLedgerAsync(result, data, console, async ledger =>
        {
            var ids = GeneratedTerminalIds.Create(result.GetRequiredValue(prefix), result.GetRequiredValue(count), result.GetValue(first));
            var replacing = result.GetValue(replace);
            if (!replacing)
            {
                await RefuseRegisteredAsync(ledger, ids, cancellation);
            }

            var masterKey = MasterKey(result, demo, components, console);
            for (var index = 0; index < ids.Count; index++)
            {
                try
                {
                    await ledger.AddTerminalAsync(Registration(ids[index], result.GetValue(mac), result.GetValue(demo), masterKey, replacing), cancellation);
                }
                catch (TerminalAlreadyRegisteredException registered)
                {
                    // Registered by someone else since the check above.
                    throw AlreadyRegistered([registered.TerminalId], registeredBefore: index);
                }
            }

            await console.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{ids.Count} terminals registered, {ids[0]} to {ids[^1]}{(result.GetValue(mac) ? " (MAC required)" : string.Empty)}."));
            return 0;
        }));
        return command;
    }

    private static Command SetMasterKey(Option<string?> data, AdminConsole console)
    {
        var id = IdOption();
        var components = ComponentFiles();
        var command = new Command(
            "set-tmk",
            "Give a registered terminal a new TMK entered as components, keeping its state, MAC requirement and working keys (its next key exchange delivers new ones under the new TMK).")
        {
            id, components,
        };
        command.SetAction((result, cancellation) => AdminCommandLine.WithLedgerAsync(result, data, console, async ledger =>
        {
            var masterKey = new KeyComponentEntry("TMK", ComponentFileOption, console).Read(result.GetValue(components) ?? []);
            try
            {
                await ledger.SetTerminalMasterKeyAsync(result.GetRequiredValue(id), masterKey, cancellation);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(masterKey);
            }

            await console.Output.WriteLineAsync($"Terminal {result.GetRequiredValue(id)} has its new TMK; load the same components into the terminal, then let it exchange keys.");
            return 0;
        }));
        return command;
    }

    private static Command SetEnabled(string name, bool enabled, Option<string?> data, AdminConsole console)
    {
        var id = IdOption();
        var command = new Command(
            name,
            enabled
                ? "Let a disabled terminal transact again."
                : "Disable a terminal: its messages, sign-on included, are answered 58 (its keys are kept; enable-terminal undoes it).")
        {
            id,
        };
        command.SetAction((result, cancellation) => AdminCommandLine.WithLedgerAsync(result, data, console, async ledger =>
        {
            await ledger.SetTerminalEnabledAsync(result.GetRequiredValue(id), enabled, cancellation);
            await console.Output.WriteLineAsync(enabled
                ? $"Terminal {result.GetRequiredValue(id)} is enabled."
                : $"Terminal {result.GetRequiredValue(id)} is disabled: answered 58 (hosts sharing a PostgreSQL database see it within Storage:TerminalCacheDuration).");
            return 0;
        }));
        return command;
    }

    /// <summary>The demo TMK, or one entered as components; never both.</summary>
    private static byte[] MasterKey(ParseResult result, Option<bool> demo, Option<string[]> components, AdminConsole console)
    {
        var files = result.GetValue(components) ?? [];
        if (result.GetValue(demo))
        {
            return files.Length == 0
                ? DemoData.TerminalMasterKey
                : throw new AdminException($"Give either --demo-keys or {ComponentFileOption}, not both.");
        }

        return new KeyComponentEntry("TMK", ComponentFileOption, console).Read(files);
    }

    private static TerminalRegistration Registration(string terminalId, bool requiresMac, bool demoKeys, byte[] masterKey, bool replace) => new()
    {
        TerminalId = terminalId,
        RequiresMac = requiresMac,
        MasterKey = masterKey,
        PinKey = demoKeys ? DemoData.TerminalPinKey : NewWorkingKey(),
        MacKey = demoKeys ? DemoData.TerminalMacKey : NewWorkingKey(),
        ReplaceExisting = replace,
    };

    /// <summary>
    /// Refuses (exit 2) when any of <paramref name="terminalIds"/> is registered: replacing a terminal gives it a new TMK
    /// and working keys, which cuts the real terminal off until it is loaded with them, so it is never done by mistake.
    /// </summary>
    private static async Task RefuseRegisteredAsync(ILedgerAdmin ledger, IReadOnlyList<string> terminalIds, CancellationToken cancellationToken)
    {
        var registered = await ledger.FindRegisteredTerminalsAsync(terminalIds, cancellationToken);
        if (registered.Count > 0)
        {
            throw AlreadyRegistered(registered, registeredBefore: 0);
        }
    }

    private static AdminException AlreadyRegistered(IReadOnlyList<string> registered, int registeredBefore)
    {
        var named = registered.Count == 1
            ? $"Terminal {registered[0]} is already registered"
            : string.Create(CultureInfo.InvariantCulture, $"{registered.Count} of the terminals are already registered ({string.Join(", ", registered.Take(3))}{(registered.Count > 3 ? ", …" : string.Empty)})");
        var done = registeredBefore == 0
            ? "nothing was changed"
            : string.Create(CultureInfo.InvariantCulture, $"the {registeredBefore} before it were registered, nothing after");
        return new AdminException($"{named}; {done}. Give --replace to replace a registered terminal and its keys (the terminal then needs its new TMK).");
    }

    private static Option<bool> ReplaceOption(string what) => new("--replace")
    {
        Description = $"Replace {what}, with new keys (it then needs its new TMK and a key exchange). Without it, a registered id is refused.",
    };

    private static Option<string> IdOption() => new("--id") { Description = "Terminal id (DE 41), 8 characters.", Required = true };

    private static Option<string[]> ComponentFiles() => new(ComponentFileOption)
    {
        Description = "A file holding one TMK component (32 hex digits, optionally followed by its KCV, which is checked); give it 2 or 3 times. Without it the components are asked for at prompts that show nothing.",
    };

    private static Option<bool> DemoKeysOption() => new("--demo-keys")
    {
        Description = "Use the published demo keys (demo data: a host off loopback then refuses to start). Test terminals only.",
    };

    private static byte[] NewWorkingKey()
    {
        var key = new byte[16];
        KeyWrapping.GenerateWorkingKey(key);
        return key;
    }
}
