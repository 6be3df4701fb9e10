using BibTool.Resolve;

namespace BibTool.Cli.Commands;

/// <summary>The end of a resolve run as the user reads it: per source what was cached, fetched or failed, and every work not resolved.</summary>
public static class ResolveSummary
{
    public static void Print(ResolveReport report, TextWriter stderr)
    {
        foreach (var source in report.Sources.Order(StringComparer.Ordinal))
        {
            var total = report.Resolutions.Count(r => r.Source == source);
            if (total == 0) continue;
            stderr.WriteLine($"{source}: {total} works: {report.Count(source, Outcome.Cached)} cached, {report.Count(source, Outcome.Fetched)} fetched, " +
                $"{report.Count(source, Outcome.NotFound)} not found, {report.Count(source, Outcome.Failed)} failed, {report.Count(source, Outcome.Missing)} missing");
        }
        stderr.WriteLine($"{report.Requests} requests in {report.Elapsed.TotalSeconds:0.0} s");
        var failures = report.Failures.ToList();
        if (failures.Count == 0) return;
        stderr.WriteLine($"{failures.Count} not resolved:");
        // Many works failing for one reason (a service down, offline) read better as one line.
        foreach (var group in failures.GroupBy(f => f.Message))
        {
            if (group.Count() <= 5)
                foreach (var failure in group) stderr.WriteLine($"  {failure.Identifier}: {failure.Message}");
            else
                stderr.WriteLine($"  {group.Count()} works: {group.Key}: {string.Join(" ", group.Select(f => f.Identifier))}");
        }
    }
}
