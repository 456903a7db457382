using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using SocketAtm.Fixtures;
using SocketAtm.Protocol.Framing;
using SocketAtm.Protocol.Iso8583;

namespace SocketAtm.Bench.Peer;

/// <summary>
/// <c>dotnet run -c Release --project bench/SocketAtm.Bench -- peer [--iterations N] [--rounds R]</c>: times the npm
/// package iso_8583 packing and unpacking the reference 0200 in a Node loop, then our codec doing the same in this
/// process, and prints both and their ratio as a Markdown table. Without Node it says so and exits 0: the comparison
/// is a report, never a gate.
/// </summary>
public static class PeerComparison
{
    /// <summary>Node iterations per timed round (the package takes microseconds per message).</summary>
    private const int DefaultNodeIterations = 20_000;

    /// <summary>Our iterations per timed round: about 100 times the Node count, for rounds of similar length.</summary>
    private const int IterationsPerNodeIteration = 100;

    private const int DefaultRounds = 5;

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!TryReadOptions(args, out var nodeIterations, out var rounds))
        {
            Console.Error.WriteLine("usage: peer [--iterations <node iterations per round>] [--rounds <timed rounds>]");
            return 2;
        }

        var folder = NodePeer.FindFolder();
        if (folder is null)
        {
            Console.Error.WriteLine("bench/peers/npm-iso8583 was not found above the working directory: run this from the repository.");
            return 2;
        }

        if (NodePeer.NodeVersion() is null)
        {
            Console.WriteLine("Node.js is not installed (no `node` on the PATH): skipping the npm peer comparison.");
            return 0;
        }

        NodePeerResult peer;
        try
        {
            NodePeer.EnsureInstalled(folder);
            Console.WriteLine($"Timing iso_8583 in Node: {rounds} rounds of {nodeIterations:N0} packs and unpacks...");
            peer = NodePeer.Measure(folder, nodeIterations, rounds);
        }
        catch (InvalidOperationException exception)
        {
            Console.Error.WriteLine("The npm peer could not be measured: " + exception.Message);
            return 1;
        }

        if (DifferenceFromReference(peer.Frame) is { } difference)
        {
            Console.Error.WriteLine("The npm peer does not pack the reference 0200 (" + difference + "): fix pack-unpack.js to match ReferenceMessages.cs.");
            return 1;
        }

        var ourIterations = nodeIterations * IterationsPerNodeIteration;
        Console.WriteLine($"Timing SocketAtm's codec: {rounds} rounds of {ourIterations:N0} packs and unpacks...");
        var ours = new CodecTimings(peer.Frame);
        var pack = ours.PackNanoseconds(ourIterations, rounds);
        var unpack = ours.UnpackNanoseconds(ourIterations, rounds);
        var unpackToStrings = ours.UnpackToStringsNanoseconds(ourIterations, rounds);

        Console.WriteLine();
        Console.WriteLine(
            $"iso_8583 {peer.PackageVersion} on Node {peer.NodeVersion} vs SocketAtm on {RuntimeInformation.FrameworkDescription}, " +
            $"{Environment.ProcessorCount} cores; median of {rounds} rounds; the reference 0200 ({peer.Frame.Length} bytes as packed by iso_8583)");
        Console.WriteLine();
        Console.WriteLine("| Operation | iso_8583 ns/op | SocketAtm ns/op | SocketAtm is |");
        Console.WriteLine("|---|---:|---:|---:|");
        Row("pack: field values → frame", peer.PackNanoseconds, pack);
        Row("unpack: frame → message (ours: fields as slices)", peer.UnpackNanoseconds, unpack);
        Row("unpack: frame → every field as a string", peer.UnpackNanoseconds, unpackToStrings);
        return 0;
    }

    private static void Row(string operation, double peerNanoseconds, double ourNanoseconds) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {operation} | {peerNanoseconds:N0} | {ourNanoseconds:N1} | {peerNanoseconds / ourNanoseconds:N0}× faster |"));

    /// <summary>
    /// Null when <paramref name="frame"/> parses to the same fields and values as the reference 0200, so that both sides
    /// time the same message; otherwise what differs.
    /// </summary>
    private static string? DifferenceFromReference(byte[] frame)
    {
        var buffer = new ReadOnlySequence<byte>(frame);
        var message = new IsoMessage();
        if (new LengthPrefixedFrameReader(LengthPrefixedFrameReader.DefaultMaxFrameLength).TryReadFrame(ref buffer, out var payload, out _) != FrameReadStatus.Frame
            || !IsoMessageParser.TryParse(payload, message, out _))
        {
            return "its frame does not parse";
        }

        var reference = ReferenceMessages.CreateWithdrawalRequest();
        if (message.Mti != reference.Mti)
        {
            return "MTI";
        }

        foreach (var field in reference.Fields)
        {
            if (!message.Get(field).SequenceEqual(reference.Get(field)))
            {
                return string.Create(CultureInfo.InvariantCulture, $"DE {field}");
            }
        }

        return message.FieldCount == reference.FieldCount ? null : "it has other fields";
    }

    private static bool TryReadOptions(string[] args, out int nodeIterations, out int rounds)
    {
        nodeIterations = DefaultNodeIterations;
        rounds = DefaultRounds;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
                ? parsed
                : (int?)null;
            switch (args[i])
            {
                case "--iterations" when value is { } iterations:
                    nodeIterations = iterations;
                    i++;
                    break;
                case "--rounds" when value is { } count:
                    rounds = count;
                    i++;
                    break;
                default:
                    return false;
            }
        }

        return true;
    }
}
