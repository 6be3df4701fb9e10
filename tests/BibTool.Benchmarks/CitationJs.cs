using System.Diagnostics;

namespace BibTool.Benchmarks;

/// <summary>
/// citation-js (@citation-js/core with its BibTeX plugin) from the npm registry, installed in the
/// benchmark's temporary folder, never in the repository; a small script converts a CSL-JSON file
/// to BibTeX, the same job as bibtool's bibtex export.
/// </summary>
public static class CitationJs
{
    public const string Version = "0.9.0";

    public static async Task<(bool Ok, string Message)> InstallAsync(string directory)
    {
        File.WriteAllText(Path.Combine(directory, "package.json"), """{"name":"bench","version":"1.0.0","private":true}""");
        var start = new ProcessStartInfo("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", $"@citation-js/core@{Version}", $"@citation-js/plugin-bibtex@{Version}"])
        {
            WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true,
        };
        try
        {
            using var npm = Process.Start(start)!;
            var error = npm.StandardError.ReadToEndAsync();
            await npm.StandardOutput.ReadToEndAsync();
            await npm.WaitForExitAsync();
            File.WriteAllText(Script(directory), """
                const fs = require('fs');
                const { Cite, plugins } = require('@citation-js/core');
                require('@citation-js/plugin-bibtex');
                const [input, output] = process.argv.slice(2);
                const items = JSON.parse(fs.readFileSync(input, 'utf8'));
                fs.writeFileSync(output, new Cite(items).format('bibtex'));
                """);
            return npm.ExitCode == 0 ? (true, "") : (false, (await error).Trim());
        }
        catch (System.ComponentModel.Win32Exception e) { return (false, "npm: " + e.Message); }
    }

    public static string Script(string directory) => Path.Combine(directory, "convert.js");
}
