using System.Diagnostics;
using System.Globalization;
using SharpFuzz;

namespace SocketAtm.Fuzz;

/// <summary>
/// Fuzzing entry points for the frame reader and parser. See the README section "Fuzzing" for the full commands.
/// <list type="bullet">
/// <item><c>afl</c>: under afl-fuzz, after <c>sharpfuzz</c> has instrumented SocketAtm.Protocol.dll.</item>
/// <item><c>libfuzzer</c>: under libfuzzer-dotnet, same instrumentation.</item>
/// <item><c>seed &lt;dir&gt;</c>: writes the seed corpus (one valid frame of each flow per file).</item>
/// <item><c>replay &lt;file or dir&gt;...</c>: runs saved inputs (a crash to reproduce, or a corpus as a regression run).</item>
/// <item><c>random [iterations] [seed]</c>: no instrumentation needed; mutated frames straight through the target.</item>
/// </list>
/// </summary>
internal static class Program
{
    private const int MaxInputLength = 64 * 1024;

    private static int Main(string[] args)
    {
        switch (args)
        {
            case ["afl"]:
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var memory = new MemoryStream();
                    stream.CopyTo(memory);
                    FrameTarget.Run(memory.GetBuffer().AsSpan(0, (int)Math.Min(memory.Length, MaxInputLength)));
                });
                return 0;
            case ["libfuzzer"]:
                Fuzzer.LibFuzzer.Run(input => FrameTarget.Run(input));
                return 0;
            case ["seed", var directory]:
                return WriteSeeds(directory);
            case ["replay", .. var paths] when paths.Length > 0:
                return Replay(paths);
            case ["random", .. var rest] when rest.Length <= 2:
                return RandomRun(
                    rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 1_000_000,
                    rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : Environment.TickCount);
            default:
                Console.Error.WriteLine("usage: SocketAtm.Fuzz afl | libfuzzer | seed <dir> | replay <file or dir>... | random [iterations] [seed]");
                return 2;
        }
    }

    private static int WriteSeeds(string directory)
    {
        Directory.CreateDirectory(directory);
        var seeds = SeedFrames.All();
        for (var i = 0; i < seeds.Count; i++)
        {
            // The first byte is the target's segment cut; 0 keeps the frame in one segment.
            File.WriteAllBytes(Path.Combine(directory, $"seed-{i:D2}.bin"), [0, .. seeds[i]]);
        }

        Console.WriteLine($"{seeds.Count} seed inputs written to {directory}");
        return 0;
    }

    private static int Replay(string[] paths)
    {
        // A directory is an AFL queue or crash folder: its inputs are the files at its top (README.txt aside).
        var files = paths
            .SelectMany(path => Directory.Exists(path)
                ? Directory.EnumerateFiles(path).Where(file => !Path.GetFileName(file).Equals("README.txt", StringComparison.Ordinal))
                : [path])
            .ToList();
        var failures = 0;
        foreach (var file in files)
        {
            try
            {
                FrameTarget.Run(File.ReadAllBytes(file));
            }
            catch (Exception exception)
            {
                failures++;
                Console.Error.WriteLine($"{file}: {exception.GetType().Name}: {exception.Message}");
            }
        }

        Console.WriteLine($"{files.Count} inputs replayed, {failures} failed");
        return failures == 0 ? 0 : 1;
    }

    private static int RandomRun(int iterations, int seed)
    {
        var mutator = new FrameMutator(seed, SeedFrames.All());
        var random = new Random(seed);
        var stopwatch = Stopwatch.StartNew();
        long frames = 0;
        long parsed = 0;
        for (var i = 0; i < iterations; i++)
        {
            // A few mutated frames back to back, as they would arrive on one connection.
            var input = new List<byte> { (byte)random.Next(256) };
            for (var count = 1 + random.Next(4); count > 0; count--)
            {
                input.AddRange(mutator.Next());
            }

            var bytes = input.ToArray();
            try
            {
                var (read, valid) = FrameTarget.Run(bytes);
                frames += read;
                parsed += valid;
            }
            catch (Exception exception)
            {
                var path = Path.GetFullPath($"fuzz-finding-{seed}-{i}.bin");
                File.WriteAllBytes(path, bytes);
                Console.Error.WriteLine($"input {i} (seed {seed}) failed: {exception}");
                Console.Error.WriteLine($"saved as {path}; reproduce with: replay {path}");
                return 1;
            }
        }

        Console.WriteLine(
            $"{iterations} random inputs (seed {seed}), {frames} frames read, {parsed} parsed, in {stopwatch.Elapsed.TotalSeconds:F1} s: no failure");
        return 0;
    }
}
