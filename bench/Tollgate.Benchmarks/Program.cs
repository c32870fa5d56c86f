using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Tollgate.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/Tollgate.Benchmarks -- console [events] [requests]
if (args is ["console", ..])
{
    await Tollgate.Benchmarks.ConsolePageBench.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 10_000_000, args.Length > 2 ? int.Parse(args[2]) : 20);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Tollgate.Benchmarks.RatingBenchmarks).Assembly).Run(args);
